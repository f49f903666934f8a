namespace RevokeFunctions.WriteBack;

/// <summary>One place a request's outcome is told: it decides from the record what is due and posts it at most once.</summary>
internal interface IWriteBackChannel
{
    WriteBackChannel Channel { get; }

    /// <summary>Posts what the record shows not yet posted. Never throws for the post's failure: it is the outcome.</summary>
    Task<ChannelOutcome> DeliverAsync(DeliveryRun run, CancellationToken cancellationToken);
}
