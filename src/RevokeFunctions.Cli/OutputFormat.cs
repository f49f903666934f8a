namespace RevokeFunctions.Cli;

/// <summary><c>--output</c>: JSON lines for scripts, a table for people.</summary>
public enum OutputFormat
{
    Table,
    Json,
}
