using Azure.Data.Tables;

namespace RevokeFunctions.Ledger;

/// <summary>
/// A table that is created the first time it is used, once per process. A failed creation is retried by the next
/// caller, and <see cref="Forget"/> makes the next caller create it again (the table was deleted under us). Racing
/// callers may both create it; <c>CreateIfNotExists</c> makes that harmless.
/// </summary>
public sealed class TableOnFirstUse(TableServiceClient service, string tableName, TimeSpan? createTimeout = null)
{
    private Task<TableClient>? table;

    public Task<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        var task = table;
        if (task is null || task.IsFaulted || task.IsCanceled)
        {
            task = CreateAsync();
            table = task;
        }
        return task.WaitAsync(cancellationToken);
    }

    public void Forget() => table = null;

    // Not tied to one caller's token: the creation is shared by every caller waiting for it.
    private async Task<TableClient> CreateAsync()
    {
        var client = service.GetTableClient(tableName);
        using var timeout = createTimeout is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
        await client.CreateIfNotExistsAsync(timeout.Token);
        return client;
    }
}
