namespace RevokeFunctions.Revocation;

/// <summary>How a request reached the pipeline.</summary>
public enum RequestChannel
{
    Http,
    Queue,
    Cli,
}
