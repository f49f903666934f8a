namespace RevokeFunctions.Requests;

/// <summary>Why a payload was refused as a whole; each maps to one problem type and HTTP status.</summary>
public enum PayloadErrorKind
{
    EmptyBody,
    MalformedJson,
    DuplicateProperty,
    UnknownSchema,
    SchemaViolation,
    NoTargetUser,
    InvalidUserIdentifier,
    TooManyTargets,
    TooLarge,
    UnsupportedMediaType,

    /// <summary>The idempotency key was used, within its window, for a different body.</summary>
    IdempotencyKeyReused,
}
