namespace RevokeFunctions.Users;

/// <summary>OData string literals: a single quote inside a literal is written twice.</summary>
public static class ODataLiteral
{
    public static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
