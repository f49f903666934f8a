namespace RevokeFunctions.Queue;

/// <summary>One attempt at a request, as the planner needs it to write follow-ups that carry the same request on.</summary>
/// <param name="Body">The original payload.</param>
/// <param name="Envelope">This attempt's identity and progress.</param>
public sealed record QueueWork(BinaryData Body, RevocationEnvelope Envelope)
{
    private string? bodySha256;

    /// <summary>SHA-256 of <see cref="Body"/> (hex), part of every follow-up's MessageId.</summary>
    public string BodySha256 => bodySha256 ??= Intake.IntakeRecord.HashBody(Body.ToMemory().Span);

    /// <summary>Prefix of the follow-ups' Subject: <c>retry</c> on the queue, <c>http-retry</c> from the HTTP trigger.</summary>
    public string SubjectPrefix { get; init; } = "";

    public string? CorrelationId { get; init; }

    public IReadOnlyDictionary<string, object>? CarriedProperties { get; init; }

    /// <summary>Pending targets (keys) this attempt was asked for that the payload no longer yields.</summary>
    public IReadOnlyList<string> Unmatched { get; init; } = [];
}
