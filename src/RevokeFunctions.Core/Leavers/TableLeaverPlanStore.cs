using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Leavers;

/// <summary>
/// Leaver plans in the ledger's table, which only the app's identity writes: partition <c>p-&lt;hash of the object
/// ID&gt;</c>, row <c>plan</c>. Inserting fails if a plan exists (409), replacing if it changed since read (412); both
/// come back as null. <c>UpdatedAt</c> lets the ledger's daily purge remove a plan with its retention, counted from
/// the plan's due date when that is later.
/// </summary>
public sealed class TableLeaverPlanStore : LeaverPlanStore
{
    private const string PlanPrefix = "p-";
    private const string PlanRow = "plan";

    private readonly LedgerOptions options;
    private readonly TableOnFirstUse table;

    public TableLeaverPlanStore(TableServiceClient service, IOptions<LedgerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        table = new TableOnFirstUse(service, this.options.TableName, this.options.OperationTimeout);
    }

    public override bool IsConfigured => true;

    public override Task<LeaverPlan?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return LedgerTableCall.RunAsync(table, options.OperationTimeout, async (client, ct) =>
        {
            var found = await client.GetEntityIfExistsAsync<TableEntity>(Partition(userId), PlanRow, cancellationToken: ct);
            return found.HasValue ? FromRow(found.Value!) : null;
        }, cancellationToken);
    }

    public override Task<LeaverPlan?> TryAddAsync(LeaverPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return LedgerTableCall.RunAsync(table, options.OperationTimeout, async (client, ct) =>
        {
            try
            {
                var added = await client.AddEntityAsync(ToRow(plan), ct);
                return plan with { ETag = added.Headers.ETag ?? ETag.All };
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                return null;
            }
        }, cancellationToken);
    }

    public override Task<LeaverPlan?> TryReplaceAsync(LeaverPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return LedgerTableCall.RunAsync(table, options.OperationTimeout, async (client, ct) =>
        {
            try
            {
                var replaced = await client.UpdateEntityAsync(ToRow(plan), plan.ETag, TableUpdateMode.Replace, ct);
                return plan with { ETag = replaced.Headers.ETag ?? ETag.All };
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                return null;
            }
        }, cancellationToken);
    }

    private static string Partition(string userId) => PlanPrefix + LedgerScope.Hash(userId.ToLowerInvariant());

    private static TableEntity ToRow(LeaverPlan plan) => new(Partition(plan.UserId), PlanRow)
    {
        ["UserId"] = plan.UserId,
        ["CurrentRequestId"] = plan.CurrentRequestId,
        ["Action"] = plan.Action.ToString(),
        ["State"] = plan.State.ToString(),
        ["Ticket"] = plan.Ticket,
        ["SubmittedAt"] = plan.SubmittedAt,
        ["ReceivedAt"] = plan.ReceivedAt,
        ["DueAt"] = plan.DueAt,
        ["ClaimedAt"] = plan.ClaimedAt,
        ["RevokedAt"] = plan.RevokedAt,
        ["ExecutedAt"] = plan.ExecutedAt,
        ["ReplacedRequestId"] = plan.ReplacedRequestId,
        ["WrittenAt"] = plan.UpdatedAt,
        // What the ledger's purge reads: a plan due further ahead than Ledger:Retention (a leaver dated years out, or
        // the rescind that cancelled one) must outlive it, or its scheduled copy would find no plan and act.
        ["UpdatedAt"] = plan.DueAt is { } due && due > plan.UpdatedAt ? due : plan.UpdatedAt,
    };

    private static LeaverPlan? FromRow(TableEntity row)
    {
        if (row.GetString("UserId") is not { } userId || row.GetString("CurrentRequestId") is not { } current
            || !Enum.TryParse<LeaverAction>(row.GetString("Action"), out var action)
            || !Enum.TryParse<LeaverPlanState>(row.GetString("State"), out var state))
        {
            return null;
        }
        return new LeaverPlan(userId, current, action, state)
        {
            Ticket = row.GetString("Ticket"),
            SubmittedAt = row.GetDateTimeOffset("SubmittedAt"),
            ReceivedAt = row.GetDateTimeOffset("ReceivedAt") ?? default,
            DueAt = row.GetDateTimeOffset("DueAt"),
            ClaimedAt = row.GetDateTimeOffset("ClaimedAt"),
            RevokedAt = row.GetDateTimeOffset("RevokedAt"),
            ExecutedAt = row.GetDateTimeOffset("ExecutedAt"),
            ReplacedRequestId = row.GetString("ReplacedRequestId"),
            UpdatedAt = row.GetDateTimeOffset("WrittenAt") ?? default,
            ETag = row.ETag,
        };
    }
}
