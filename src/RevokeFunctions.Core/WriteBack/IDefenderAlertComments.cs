namespace RevokeFunctions.WriteBack;

/// <summary>Adds a comment to a Microsoft Defender XDR alert.</summary>
public interface IDefenderAlertComments
{
    /// <summary>Appends the comment (the API has no update). Throws <see cref="WriteBackException"/>.</summary>
    Task AddAsync(string alertId, string comment, CancellationToken cancellationToken);
}
