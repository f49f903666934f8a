using System.Security.Cryptography;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Intake;

/// <summary>
/// What a request's later attempts must not lose, recorded once per request ID in the ledger's table (which queue
/// senders cannot write): who asked and with what authority, dry run, the idempotency key and the body's hash. A queued
/// retry restores it only when its body hashes the same, so a message that names a request ID but carries another body
/// gains nothing from it.
/// </summary>
public sealed record IntakeRecord(string RequestId, RequestChannel Channel, DateTimeOffset ReceivedAt, string BodySha256)
{
    public string? Requester { get; init; }

    public bool CallerIsPerson { get; init; }

    public bool MayRevokeProtected { get; init; }

    public bool DryRun { get; init; }

    public string? IdempotencyKey { get; init; }

    public string? KeyGeneration { get; init; }

    /// <summary>The record of a request as its first attempt saw it; null when the body's hash is unknown.</summary>
    public static IntakeRecord? From(RevocationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.BodySha256 is not { } hash)
            return null;
        return new IntakeRecord(context.RequestId, context.IntakeChannel, context.ReceivedAt, hash)
        {
            Requester = context.Requester,
            CallerIsPerson = context.CallerIsPerson,
            MayRevokeProtected = context.MayRevokeProtected,
            DryRun = context.DryRun,
            IdempotencyKey = context.IdempotencyKey,
            KeyGeneration = context.KeyGeneration,
        };
    }

    /// <summary>A queued attempt of this request, with the first attempt's caller, authority and key restored.</summary>
    public RevocationContext Restore(RevocationContext attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt with
        {
            IntakeChannel = Channel,
            Requester = Requester,
            CallerIsPerson = CallerIsPerson,
            MayRevokeProtected = MayRevokeProtected,
            DryRun = DryRun,
            IdempotencyKey = IdempotencyKey ?? attempt.IdempotencyKey,
            KeyGeneration = KeyGeneration,
        };
    }

    /// <summary>SHA-256 of a body as lower-case hex.</summary>
    public static string HashBody(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));
}
