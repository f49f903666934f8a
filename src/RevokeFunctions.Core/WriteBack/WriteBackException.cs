using RevokeFunctions.Graph;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// A write-back call that did not succeed. The message names the status and error code only: never a URL (the
/// webhook's holds its secret), a header or a response body.
/// </summary>
public sealed class WriteBackException : Exception
{
    public WriteBackException()
    {
    }

    public WriteBackException(string message)
        : base(message)
    {
    }

    public WriteBackException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WriteBackException(string message, int? statusCode, bool isTransient, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    public int? StatusCode { get; }

    /// <summary>Throttling, a server error or a timeout: another try may succeed.</summary>
    public bool IsTransient { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>A Graph call's failure, named by status and Graph's error code only.</summary>
    public static WriteBackException FromGraph(GraphFailure failure, Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var status = failure.StatusCode is { } code ? $"{code} {failure.ErrorCode}".TrimEnd() : failure.Kind.ToString();
        return new WriteBackException($"Microsoft Graph answered {status}", failure.StatusCode, failure.IsTransient, failure.RetryAfter, innerException);
    }

    /// <summary>What HTTP status codes mean for a retry: 408, 429 and 5xx may pass.</summary>
    public static bool IsTransientStatus(int status) => status is 408 or 429 or >= 500;
}
