using Azure;
using Azure.Data.Tables;
using RevokeFunctions.Hosting;

namespace RevokeFunctions.Ledger;

/// <summary>
/// One call to a store that lives in the ledger's table (intake records, leaver plans, the verification outbox), within
/// <see cref="LedgerOptions.OperationTimeout"/>, every storage failure (<see cref="DependencyFailure"/>) and every
/// timeout turned into a <see cref="LedgerUnavailableException"/>, as the ledger's own calls are.
/// </summary>
internal static class LedgerTableCall
{
    public static Task<T> RunAsync<T>(TableOnFirstUse table, TimeSpan operationTimeout, Func<TableClient, CancellationToken, Task<T>> operation,
        CancellationToken cancellationToken) =>
        RunAsync(table, operationTimeout, operation, (failure, problem) => failure is OperationCanceledException
            ? new LedgerUnavailableException($"The ledger did not answer within {operationTimeout} (Ledger:OperationTimeout).", failure)
            : new LedgerUnavailableException($"The ledger failed: {problem}.", failure), cancellationToken);

    /// <param name="unavailable">The exception a store of its own throws, from the failure and what it was ("no answer
    /// within …" for a timeout, else <see cref="DependencyFailure.Describe"/>).</param>
    public static async Task<T> RunAsync<T>(TableOnFirstUse table, TimeSpan operationTimeout, Func<TableClient, CancellationToken, Task<T>> operation,
        Func<Exception, string, Exception> unavailable, CancellationToken cancellationToken)
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
            throw unavailable(ex, $"no answer within {operationTimeout}");
        }
        catch (Exception ex) when (DependencyFailure.IsStorageFailure(ex))
        {
            if (ex is RequestFailedException { Status: 404 })
                table.Forget(); // The table was deleted under us: create it again next time.
            throw unavailable(ex, DependencyFailure.Describe(ex));
        }
    }
}
