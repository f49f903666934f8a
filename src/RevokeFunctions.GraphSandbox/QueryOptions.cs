using Microsoft.AspNetCore.Http;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// Checks the OData system query options ($-prefixed) of a request. An option the sandbox does not implement is refused
/// rather than ignored, so a query that would behave differently against Graph fails loudly here.
/// </summary>
internal static class QueryOptions
{
    public static GraphError? Check(IQueryCollection query, params ReadOnlySpan<string> supported)
    {
        foreach (var (name, values) in query)
        {
            if (!name.StartsWith('$'))
                continue;
            if (!IsSupported(name, supported))
                return GraphError.UnsupportedQuery($"The query option '{name}' is not supported here by the Graph sandbox.");
            if (values.Count > 1)
                return GraphError.BadRequest($"The query option '{name}' was specified more than once.");
        }

        return null;
    }

    /// <summary>The option's value, or null when absent. Call after <see cref="Check"/> has refused repeats.</summary>
    public static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static bool IsSupported(string name, ReadOnlySpan<string> supported)
    {
        foreach (var option in supported)
        {
            if (string.Equals(option, name, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }
}
