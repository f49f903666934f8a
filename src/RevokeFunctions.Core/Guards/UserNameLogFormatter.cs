using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Guards;

/// <summary>
/// Writes a user principal name into a log the way <c>Guards:LogUserPrincipalNames</c> says. The hash is unkeyed so
/// an operator can find a known user's lines (hash the name the same way and search), which also means it
/// pseudonymises rather than anonymises: treat hashed logs as personal data still.
/// </summary>
public sealed partial class UserNameLogFormatter(IOptions<GuardOptions> options)
{
    public const string HashPrefix = "upn-sha256:";

    /// <summary>
    /// Free text that may name people (a detail, a dead-letter description, a requester's name) with every UPN or mail
    /// address in it hashed like <see cref="Format"/>; the rest of the text stays readable for the operator.
    /// </summary>
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || options.Value.LogUserPrincipalNames == UserNameLogging.Clear || !text.Contains('@', StringComparison.Ordinal))
            return text;
        return AddressPattern().Replace(text, match =>
        {
            // A sentence's full stop is not part of the address: hash what Format would, keep the punctuation.
            var address = match.Value.TrimEnd('.');
            return Hash(address) + match.Value[address.Length..];
        });
    }

    /// <summary>Anything shaped like local@domain, internationalised domains included; quotes and brackets end it.</summary>
    [GeneratedRegex(@"[^\s'""()<>\[\],;:@]+@[^\s'""()<>\[\],;:@]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddressPattern();

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
