using RevokeFunctions.Requests.Formats;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Guards;

/// <summary>Who is behind a request, as far as the guards care: a person, or automation with its own limit.</summary>
public enum RequestOrigin
{
    /// <summary>An operator on the CLI, or an HTTP caller with the submit role sending the native format: not limited.</summary>
    Person,

    /// <summary>Alerts, risk detections, CloudEvents, queue messages, function-key callers: <c>StormGuard:MaxUsers</c>.</summary>
    Automated,

    /// <summary>HR leaver messages: <c>StormGuard:LeaverMaxUsers</c>.</summary>
    Leaver,
}

/// <summary>Classifies a request's origin from how it arrived and what it is.</summary>
public static class RequestOriginPolicy
{
    /// <param name="channel">How the request reached the pipeline.</param>
    /// <param name="callerIsPerson">The trigger authenticated a caller holding the submit role (HTTP) or is the CLI.</param>
    /// <param name="sourceKind">The payload format (<see cref="Requests.SourceReference.Kind"/>).</param>
    public static RequestOrigin Classify(RequestChannel channel, bool callerIsPerson, string sourceKind)
    {
        // An operator at the CLI chose the file and ran it; that is a person whatever the file's format.
        if (channel == RequestChannel.Cli)
            return RequestOrigin.Person;
        // A person asks in the native format; an alert or a leaver message relayed over HTTP is still automation,
        // whoever's credentials the relay uses.
        if (channel == RequestChannel.Http && callerIsPerson && sourceKind == NativeRequestFormat.FormatKind)
            return RequestOrigin.Person;
        return sourceKind == HrLeaverFormat.FormatKind ? RequestOrigin.Leaver : RequestOrigin.Automated;
    }
}
