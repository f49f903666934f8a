using Microsoft.Extensions.Options;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// The comment on the Defender XDR alert a request came from (<see cref="WriteBackOptions.DefenderComments"/>). Alert
/// comments cannot be edited, so the one comment waits until no target is pending, and the record ensures one post.
/// </summary>
internal sealed class DefenderCommentChannel(IOptions<WriteBackOptions> options, IDefenderAlertComments comments) : IWriteBackChannel
{
    public WriteBackChannel Channel => WriteBackChannel.DefenderComment;

    public async Task<ChannelOutcome> DeliverAsync(DeliveryRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var source = run.Source;
        if (!options.Value.DefenderComments || source?.Kind != DefenderAlertFormat.FormatKind || !GraphDefenderAlertComments.IsAlertId(source.Id))
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);
        var summary = run.Summary();
        if (!summary.IsFinal)
            return new ChannelOutcome(Channel, ChannelStatus.Waiting);
        var text = summary.ToText();
        return await run.PostOnceAsync(Channel, text, ct => comments.AddAsync(source.Id!, text, ct), cancellationToken);
    }
}
