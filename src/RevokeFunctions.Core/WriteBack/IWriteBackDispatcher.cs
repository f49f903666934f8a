namespace RevokeFunctions.WriteBack;

/// <summary>Tells the source and the people what became of a request: every write-back and notification switched on.</summary>
public interface IWriteBackDispatcher
{
    /// <summary>
    /// Writes the fate back within <paramref name="budget"/>. Never throws and never changes the revocation: what fails
    /// is retried a bounded number of times, then recorded and logged. Repeating a request posts nothing twice.
    /// </summary>
    Task<WriteBackReport> DispatchAsync(RequestFate fate, TimeSpan budget, CancellationToken cancellationToken);
}
