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
}
