using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// The comment on the Sentinel incident a request came from (<see cref="WriteBackOptions.SentinelComments"/>): one per
/// request, PUT under an ID derived from the request's key, so each delivery rewrites the same comment with the latest
/// state, and skipped when its text is what was posted last.
/// </summary>
internal sealed partial class SentinelCommentChannel(
    IOptions<WriteBackOptions> options,
    ISentinelIncidentComments comments,
    ILogger<SentinelCommentChannel> logger) : IWriteBackChannel
{
    public WriteBackChannel Channel => WriteBackChannel.SentinelComment;

    public async Task<ChannelOutcome> DeliverAsync(DeliveryRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var source = run.Source;
        if (!options.Value.SentinelComments || source?.Kind != SentinelIncidentFormat.FormatKind)
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);
        if (!SentinelIncidentId.TryParse(source.ResourceId, out var incident))
        {
            LogNoIncidentId(logger, run.RequestId);
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);
        }

        var html = run.Summary().ToHtml();
        return await run.PostOnceAsync(Channel, html, ct => comments.PutAsync(incident, run.Key.SentinelCommentId, html, ct), cancellationToken);
    }

    [LoggerMessage(EventId = 804, Level = LogLevel.Warning,
        Message = "Request {RequestId} comes from a Sentinel incident without a valid incident resource ID (id): no comment is written")]
    private static partial void LogNoIncidentId(ILogger logger, string requestId);
}
