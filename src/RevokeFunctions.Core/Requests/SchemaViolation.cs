using System.Text.Json;

namespace RevokeFunctions.Requests;

/// <summary>Turns a deserializer's complaint about a known shape into a detail that names the member and its path.</summary>
internal static class SchemaViolation
{
    public static PayloadError From(JsonException ex, string shape)
    {
        var path = ex.Path is { Length: > 0 } p ? p : "$";
        var message = ex.Message;
        var missing = message.IndexOf("missing required properties including:", StringComparison.Ordinal);
        if (missing >= 0)
        {
            var names = message[(missing + "missing required properties including:".Length)..].Trim().TrimEnd('.');
            return PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                $"The {shape} at {path} lacks the required member {names}.", path);
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                $"The {shape} member at {path} has the wrong JSON type (or is null where a value is required).", path);
        }
        return PayloadError.Invalid(PayloadErrorKind.SchemaViolation, $"The {shape} at {path} is not valid.", path);
    }
}
