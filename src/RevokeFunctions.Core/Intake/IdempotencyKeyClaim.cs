namespace RevokeFunctions.Intake;

/// <summary>What the key's record says of a request that carries an idempotency key.</summary>
public enum IdempotencyKeyStatus
{
    /// <summary>First use of the key in its window (or the first after the window ran out): a new request.</summary>
    New,

    /// <summary>The same key with the same body from the same caller within the window: the same request again.</summary>
    Replay,

    /// <summary>The same key with a different body within the window: refused, nothing is revoked by it.</summary>
    Reused,

    /// <summary>The key could not be checked (no ledger, or the ledger is down): the request goes on unbound.</summary>
    Unchecked,
}

/// <param name="Generation">The key record's own ID: part of the ledger scope, so a new window is a new request.</param>
/// <param name="FirstRequestId">The request that made the key's record.</param>
/// <param name="ExpiresAt">When the key may name another body.</param>
public sealed record IdempotencyKeyClaim(IdempotencyKeyStatus Status, string? Generation = null, string? FirstRequestId = null, DateTimeOffset? ExpiresAt = null)
{
    public static readonly IdempotencyKeyClaim Unchecked = new(IdempotencyKeyStatus.Unchecked);
}
