using System.Text.Json;

namespace RevokeFunctions.Requests;

/// <summary>What a format needs besides the JSON: the arrival time and a way to parse a wrapped payload.</summary>
public sealed class PayloadParseContext
{
    private readonly PayloadParser parser;

    internal PayloadParseContext(PayloadParser parser, DateTimeOffset receivedAt, int depth)
    {
        this.parser = parser;
        ReceivedAt = receivedAt;
        Depth = depth;
    }

    /// <summary>When the request arrived; the event time of ad-hoc requests.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>How many envelopes deep this payload is (a CloudEvent around a risk detection is 1).</summary>
    public int Depth { get; }

    /// <summary>Parses a payload wrapped by an envelope (CloudEvents data) with every format but the envelope's own.</summary>
    public PayloadParseResult ParseWrapped(JsonElement inner) => parser.ParseElement(inner, ReceivedAt, Depth + 1);

    /// <summary>Parses wrapped UTF-8 bytes (CloudEvents <c>data_base64</c>) with the same strict rules as a body.</summary>
    public PayloadParseResult ParseWrapped(ReadOnlyMemory<byte> utf8) => parser.Parse(utf8, ReceivedAt, Depth + 1);
}
