using System.Text.Json;

namespace RevokeFunctions.Requests;

/// <summary>
/// One source's payload format. Formats are tried in registration order and the first that recognises the shape
/// owns the payload: recognition looks at property names only, never at a header the sender may not set.
/// </summary>
public interface IPayloadFormat
{
    /// <summary>The <see cref="SourceReference.Kind"/> this format produces.</summary>
    string Kind { get; }

    bool Recognizes(JsonElement root);

    PayloadParseResult Parse(JsonElement root, PayloadParseContext context);
}
