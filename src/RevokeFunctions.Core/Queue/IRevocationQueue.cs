namespace RevokeFunctions.Queue;

/// <summary>The revocation queue, as the HTTP fallback and the queue handler's retries use it.</summary>
public interface IRevocationQueue
{
    /// <summary>Sends (or schedules) the message; throws <see cref="RevocationQueueUnavailableException"/> if it cannot.</summary>
    Task SendAsync(QueuedRevocation message, CancellationToken cancellationToken);
}
