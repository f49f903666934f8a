namespace RevokeFunctions.WriteBack;

/// <summary>Writes a comment on a Microsoft Sentinel incident.</summary>
public interface ISentinelIncidentComments
{
    /// <summary>Creates the comment, or replaces it when one with <paramref name="commentId"/> exists. Throws <see cref="WriteBackException"/>.</summary>
    Task PutAsync(SentinelIncidentId incident, Guid commentId, string message, CancellationToken cancellationToken);
}
