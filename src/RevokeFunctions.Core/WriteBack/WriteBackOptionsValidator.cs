using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Start-up checks of <c>WriteBack</c> beyond the annotations. Every write-back keeps its progress in the ledger's
/// table, which is what makes a retried request post nothing twice, so none may be on without the ledger.
/// </summary>
public sealed class WriteBackOptionsValidator(IOptions<LedgerOptions> ledger) : IValidateOptions<WriteBackOptions>
{
    public ValidateOptionsResult Validate(string? name, WriteBackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ArmBaseUrl is { } arm && !EndpointRules.IsHttpsOrLoopback(arm))
            failures.Add($"WriteBack:ArmBaseUrl is '{arm}'; it must be https (Azure Resource Manager's endpoint).");
        if (options.AnyEnabled && !ledger.Value.IsConfigured)
        {
            failures.Add("WriteBack:SentinelComments or WriteBack:DefenderComments is on but the ledger is not configured "
                + "(Ledger:serviceUri): write-backs record there what they posted, so a retried request posts nothing twice.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
