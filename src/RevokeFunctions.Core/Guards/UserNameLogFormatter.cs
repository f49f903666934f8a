using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Guards;

/// <summary>
/// Writes a user principal name into a log the way <c>Guards:LogUserPrincipalNames</c> says. The hash is unkeyed so
/// an operator can find a known user's lines (hash the name the same way and search), which also means it
/// pseudonymises rather than anonymises: treat hashed logs as personal data still.
/// </summary>
public sealed class UserNameLogFormatter(IOptions<GuardOptions> options)
{
    public const string HashPrefix = "upn-sha256:";

    public string? Format(string? userPrincipalName)
    {
        if (string.IsNullOrEmpty(userPrincipalName))
            return userPrincipalName;
        return options.Value.LogUserPrincipalNames == UserNameLogging.Clear ? userPrincipalName : Hash(userPrincipalName);
    }

    /// <summary>The first 12 bytes of SHA-256 over the lower-cased UTF-8 name, as hex.</summary>
    public static string Hash(string userPrincipalName)
    {
        ArgumentNullException.ThrowIfNull(userPrincipalName);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(userPrincipalName.ToLowerInvariant()));
        return HashPrefix + Convert.ToHexStringLower(digest.AsSpan(0, 12));
    }
}
