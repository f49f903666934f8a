namespace RevokeFunctions.Queue;

/// <summary>The revocation queue could not take a message: not configured, unreachable, or refusing.</summary>
public sealed class RevocationQueueUnavailableException : Exception
{
    public RevocationQueueUnavailableException()
    {
    }

    public RevocationQueueUnavailableException(string message)
        : base(message)
    {
    }

    public RevocationQueueUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
