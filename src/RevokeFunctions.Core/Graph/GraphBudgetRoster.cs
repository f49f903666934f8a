using Azure;
using Azure.Data.Tables;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Graph;

/// <summary>
/// The instances currently spending the app's Graph budget: one row per instance in the ledger's table (partition
/// <c>g-graph-budget</c>), written by the instance itself with its last check-in time and whether it is writing (it
/// wrote, or has writes waiting, lately). Nobody writes another's row, so check-ins never conflict; a row not refreshed
/// for <c>3 × RefreshInterval</c> no longer counts.
/// </summary>
public class GraphBudgetRoster
{
    /// <summary>The partition of roster rows; the ledger's own partitions start <c>s-</c>, <c>r-</c>, <c>w-</c>.</summary>
    public const string Partition = "g-graph-budget";

    private readonly TableOnFirstUse table;
    private readonly TimeSpan timeout;

    public GraphBudgetRoster(TableServiceClient service, string tableName, TimeSpan timeout)
    {
        table = new TableOnFirstUse(service, tableName, timeout);
        this.timeout = timeout;
    }

    /// <summary>For substitution in tests.</summary>
    protected GraphBudgetRoster()
    {
        table = null!;
    }

    /// <summary>
    /// Records <paramref name="instance"/> as seen at <paramref name="now"/>, writing or only reading, and returns the
    /// instances seen since <paramref name="liveSince"/>, itself included, in a fixed order every instance agrees on.
    /// </summary>
    /// <exception cref="RequestFailedException">Table storage refused or could not be reached.</exception>
    /// <exception cref="OperationCanceledException">No answer within the ledger's operation timeout.</exception>
    public virtual async Task<IReadOnlyList<GraphBudgetMember>> CheckInAsync(string instance, bool writing, DateTimeOffset now, DateTimeOffset liveSince, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var client = await table.GetAsync(limit.Token);
        // The write and the read go together: the read may miss our own row, which is added below.
        var seen = new TableEntity(Partition, instance) { ["LastSeen"] = now, ["UpdatedAt"] = now, ["Writing"] = writing };
        var write = client.UpsertEntityAsync(seen, TableUpdateMode.Replace, limit.Token);
        var members = new SortedDictionary<string, GraphBudgetMember>(StringComparer.Ordinal);
        var live = client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and LastSeen ge {liveSince}"),
            select: ["RowKey", "Writing", "LastSeen"], cancellationToken: limit.Token);
        // A row without the column is an instance of an earlier version, which takes a write share whatever it does.
        await foreach (var row in live)
            members[row.RowKey] = new GraphBudgetMember(row.RowKey, row.GetBoolean("Writing") ?? true, row.GetDateTimeOffset("LastSeen") ?? liveSince);
        members[instance] = new GraphBudgetMember(instance, writing, now);
        await write;
        return [.. members.Values];
    }
}

/// <summary>An instance on the <see cref="GraphBudgetRoster"/>: <paramref name="Writing"/> when it takes part in the write schedule.</summary>
/// <param name="LastSeen">When it last checked in (its own clock): what it knows of the roster is no older than this.</param>
public readonly record struct GraphBudgetMember(string Instance, bool Writing, DateTimeOffset LastSeen);
