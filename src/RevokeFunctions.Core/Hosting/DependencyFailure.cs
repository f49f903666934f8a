using Azure;
using Azure.Identity;

namespace RevokeFunctions.Hosting;

/// <summary>
/// The one place that says which exceptions from Table storage and the app's credential mean "the dependency is not
/// answering now" (retry later) rather than a defect. Azure.Core reports exhausted retries as an
/// <see cref="AggregateException"/> of the attempts' failures, and a managed-identity endpoint that hiccups throws
/// <see cref="AuthenticationFailedException"/> (<see cref="CredentialUnavailableException"/> is one) before any request
/// is sent; all of them must end as a typed, retried outcome, never escape a trigger as a 500.
/// </summary>
public static class DependencyFailure
{
    /// <summary>A storage call failed: an error answer, no answer after the SDK's retries, or no token to sign it with.</summary>
    public static bool IsStorageFailure(Exception exception) => exception switch
    {
        RequestFailedException or AuthenticationFailedException => true,
        AggregateException aggregate => RetriesFailed(aggregate),
        _ => false,
    };

    /// <summary>The credential could not get a token, directly or as the last of an SDK's retries.</summary>
    public static bool IsCredentialFailure(Exception exception) => exception switch
    {
        AuthenticationFailedException => true,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions is { Count: > 0 } inner && IsCredentialFailure(inner[^1]),
        _ => false,
    };

    /// <summary>A short description for logs and dead letters: status and error code, or the exception's type, never its text.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        RequestFailedException { Status: > 0 } failed => $"{failed.Status} {failed.ErrorCode}".TrimEnd(),
        RequestFailedException failed => "no answer (" + (failed.InnerException?.GetType().Name ?? nameof(RequestFailedException)) + ")",
        AuthenticationFailedException => $"the app's credential could not get a token ({exception.GetType().Name})",
        AggregateException aggregate when aggregate.Flatten().InnerExceptions is { Count: > 0 } inner =>
            $"{Describe(inner.LastOrDefault(e => e is not OperationCanceledException) ?? inner[^1])} after {inner.Count} tries",
        _ => exception.GetType().Name,
    };

    /// <summary>
    /// Every try failed at the store. A try cut short (a cancellation: the network timeout, or a timeout of ours ending
    /// the last try) counts with them when some try did reach the store and fail; cancellations alone say nothing about
    /// the store, since the caller may have given up.
    /// </summary>
    private static bool RetriesFailed(AggregateException aggregate)
    {
        var inner = aggregate.Flatten().InnerExceptions;
        return inner.Any(IsStorageFailure) && inner.All(e => e is OperationCanceledException || IsStorageFailure(e));
    }
}
