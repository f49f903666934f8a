using Azure;
using Azure.Data.Tables;
using RevokeFunctions.Hosting;

namespace RevokeFunctions.Ledger;

/// <summary>
/// One call to a store that lives in the ledger's table (intake records, leaver plans), within
/// <see cref="LedgerOptions.OperationTimeout"/>, every storage failure (<see cref="DependencyFailure"/>) and every
/// timeout turned into a <see cref="LedgerUnavailableException"/>, as the ledger's own calls are.
/// </summary>
internal static class LedgerTableCall
{
    public static async Task<T> RunAsync<T>(TableOnFirstUse table, TimeSpan operationTimeout, Func<TableClient, CancellationToken, Task<T>> operation,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(operationTimeout);
        try
        {
            var client = await table.GetAsync(timeout.Token);
            return await operation(client, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LedgerUnavailableException($"The ledger did not answer within {operationTimeout} (Ledger:OperationTimeout).", ex);
        }
        catch (Exception ex) when (DependencyFailure.IsStorageFailure(ex))
        {
            if (ex is RequestFailedException { Status: 404 })
                table.Forget(); // The table was deleted under us: create it again next time.
            throw new LedgerUnavailableException($"The ledger failed: {DependencyFailure.Describe(ex)}.", ex);
        }
    }
}
