using System.Globalization;
using Microsoft.Extensions.Options;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Guards;

/// <summary>
/// Start-up checks of the <c>Guards</c> section beyond what annotations say: every message names the setting as an
/// operator writes it, so a typo in an app setting stops the app with the line to fix, not a revocation gone wrong.
/// </summary>
public sealed class GuardOptionsValidator : IValidateOptions<GuardOptions>
{
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, GuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = GuardOptions.SectionName;

        if (options.MaxTargets < 1)
            failures.Add($"{Section}:MaxTargets is {options.MaxTargets}; it must be at least 1.");

        for (var i = 0; i < options.ProtectedAccounts.Count; i++)
        {
            var value = options.ProtectedAccounts[i];
            if (!ProtectedAccountList.TryNormalize(value, out _))
            {
                failures.Add($"{Section}:ProtectedAccounts:{i} is '{Shorten(value)}', which is neither an object ID (GUID) "
                    + "nor a user principal name (local@domain).");
            }
        }

        for (var i = 0; i < options.ProtectedGroups.Count; i++)
        {
            var value = options.ProtectedGroups[i];
            if (!Guid.TryParse(value, out var id) || id == Guid.Empty)
                failures.Add($"{Section}:ProtectedGroups:{i} is '{Shorten(value)}', which is not a group object ID (GUID).");
        }

        var storm = options.StormGuard;
        CheckLimit(failures, $"{Section}:StormGuard:MaxUsers", storm.MaxUsers);
        CheckLimit(failures, $"{Section}:StormGuard:LeaverMaxUsers", storm.LeaverMaxUsers);
        if (storm.Window <= TimeSpan.Zero || storm.Window > MaxWindow)
        {
            failures.Add($"{Section}:StormGuard:Window is {storm.Window.ToString("c", CultureInfo.InvariantCulture)}; "
                + "it must be positive and at most 1.00:00:00 (d.hh:mm:ss).");
        }
        if (!IsTableName(storm.TableName))
        {
            failures.Add($"{Section}:StormGuard:TableName is '{Shorten(storm.TableName)}'; a table name is 3 to 63 letters "
                + "and digits, starting with a letter.");
        }

        if (options.AllowFunctionKeyCallers)
        {
            failures.Add($"{Section}:AllowFunctionKeyCallers is no longer supported: the HTTP functions are anonymous behind App Service "
                + "Authentication, so a function key would let anyone in. Remove the setting and give each caller a Microsoft Entra ID "
                + "token for the API app with the app role Revocations.Submit.");
        }

        if (!Enum.IsDefined(options.LogUserPrincipalNames))
            failures.Add($"{Section}:LogUserPrincipalNames must be Clear or Hashed.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckLimit(List<string> failures, string setting, int value)
    {
        if (value is < 1 or > StormGuardOptions.MaxLimit)
            failures.Add($"{setting} is {value}; it must be between 1 and {StormGuardOptions.MaxLimit}.");
    }

    private static bool IsTableName(string? name) =>
        name is { Length: >= 3 and <= 63 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    // A bad value is echoed so the operator sees which one it is, but never at length.
    private static string Shorten(string? value) =>
        value is null ? "" : value.Length > 80 ? value[..80] + "…" : value;
}
