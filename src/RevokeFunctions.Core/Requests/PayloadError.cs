using RevokeFunctions.Revocation;

namespace RevokeFunctions.Requests;

/// <summary>A payload refused before any Graph call. Nobody named in it is revoked.</summary>
/// <param name="Reason">The stable code (dead-letter reason, CLI reason).</param>
/// <param name="Kind">The finer kind, which picks the HTTP status and problem type.</param>
/// <param name="Detail">One sentence an operator can act on; never echoes an oversized or hostile value whole.</param>
/// <param name="Path">The JSON path of the first problem, when there is one.</param>
public sealed record PayloadError(ReasonCode Reason, PayloadErrorKind Kind, string Detail, string? Path = null)
{
    public static PayloadError Invalid(PayloadErrorKind kind, string detail, string? path = null) =>
        new(ReasonCode.InvalidPayload, kind, detail, path);
}
