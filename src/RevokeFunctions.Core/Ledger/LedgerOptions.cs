using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Ledger;

/// <summary>
/// The revocation ledger in Azure Table storage (section <c>Ledger</c>). In Azure, <see cref="ServiceUri"/> with the
/// app's managed identity; locally and in tests, <see cref="ConnectionString"/> <c>UseDevelopmentStorage=true</c> (Azurite).
/// </summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Ledger";

    /// <summary>The Table service endpoint, <c>https://&lt;account&gt;.table.core.windows.net</c>; signs in with the app's credential.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>Azurite only (<c>UseDevelopmentStorage=true</c> or a loopback endpoint): no account key ever leaves a developer's machine.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table, created at first use if missing.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Ledger:TableName must be 3 to 63 letters and digits, starting with a letter.")]
    public string TableName { get; set; } = "revocations";

    /// <summary>Rows not updated for this long are deleted by the daily purge (<c>PurgeLedger</c> timer function).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>
    /// How long a <c>Revoking</c> claim holds before another delivery may take it over, as after a crash between the
    /// Graph call and its record. Keep it above <c>Graph:Timeout</c>, so a live claimant is never overtaken.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a duplicate waits for the instance holding the claim to record its outcome before answering "in progress".</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DuplicateWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound for one ledger operation, the client's retries included; past it the ledger counts as unavailable.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsConfigured => ServiceUri is not null || !string.IsNullOrWhiteSpace(ConnectionString);
}
