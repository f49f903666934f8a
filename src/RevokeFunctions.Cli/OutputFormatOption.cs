namespace RevokeFunctions.Cli;

/// <summary>Reads the value of <c>--output</c> the same way for every verb.</summary>
public static class OutputFormatOption
{
    public static bool TryParse(string value, out OutputFormat output, out string error)
    {
        error = "";
        if (Enum.TryParse(value, ignoreCase: true, out output) && Enum.IsDefined(output))
            return true;
        error = $"--output takes json or table, not '{value}'.";
        return false;
    }
}
