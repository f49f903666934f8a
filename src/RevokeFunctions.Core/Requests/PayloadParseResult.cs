using System.Diagnostics.CodeAnalysis;

namespace RevokeFunctions.Requests;

/// <summary>Either a parsed payload or the reason it was refused.</summary>
public sealed class PayloadParseResult
{
    private PayloadParseResult(ParsedPayload? payload, PayloadError? error)
    {
        Payload = payload;
        Error = error;
    }

    public ParsedPayload? Payload { get; }

    public PayloadError? Error { get; }

    [MemberNotNullWhen(true, nameof(Payload))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Payload is not null;

    public static PayloadParseResult Success(ParsedPayload payload) => new(payload, null);

    public static PayloadParseResult Failure(PayloadError error) => new(null, error);

    public static implicit operator PayloadParseResult(PayloadError error) => Failure(error);

    public static implicit operator PayloadParseResult(ParsedPayload payload) => Success(payload);
}
