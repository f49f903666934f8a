using Microsoft.Extensions.Options;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// The email to the manager of each user revoked now (<see cref="ManagerEmailOptions"/>): once per user, as the record
/// shows who was told (or has no manager).
/// </summary>
internal sealed class ManagerEmailChannel(IOptions<NotificationOptions> options, IManagerMailer mailer) : IWriteBackChannel
{
    /// <summary>Managers emailed at once for one request.</summary>
    private const int MailConcurrency = 4;

    public WriteBackChannel Channel => WriteBackChannel.ManagerEmail;

    public async Task<ChannelOutcome> DeliverAsync(DeliveryRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!options.Value.ManagerEmail.Enabled)
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);

        var revoked = run.Lines.Values
            .Where(l => l.Line is { Outcome: Outcome.Revoked, State: OutcomeState.Final, UserId: not null })
            .OrderBy(l => l.Line.Position)
            .ToList();
        var due = revoked.Where(l => l.ManagerMail is null).ToList();
        if (due.Count == 0)
            return new ChannelOutcome(Channel, revoked.Count > 0 ? ChannelStatus.AlreadyDone : ChannelStatus.NotApplicable);

        CallResult? failed = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MailConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(due, parallel, async (line, ct) =>
        {
            var mail = new ManagerMail(line.Line.UserId!, line.Line.Name, run.RequestId, run.Source);
            var sent = ManagerMailResult.Sent;
            var result = await DeliveryRun.TryAsync(async c => sent = await mailer.SendAsync(mail, c), ct);
            if (result.Succeeded)
                run.Lines.AddOrUpdate(line.Line.Key, line, (_, current) => current with { ManagerMail = sent });
            else
                Interlocked.CompareExchange(ref failed, result, null);
        });

        var status = failed is null ? ChannelStatus.Done : ChannelStatus.Failed;
        await run.SaveAsync(Channel, status, null, failed?.Problem);
        return new ChannelOutcome(Channel, status, run.Delivery, failed?.Problem, failed?.RetryAfter);
    }
}
