namespace RevokeFunctions.Operations;

/// <summary>Why the dead-letter queue could not be used; each has its own fix, named in the exception's message.</summary>
public enum DeadLetterAccessFailure
{
    /// <summary>No namespace is configured, or the setting holds something other than a namespace's host name.</summary>
    NotConfigured,

    /// <summary>The signed-in identity lacks the Service Bus data role the operation needs.</summary>
    NotPermitted,

    /// <summary>The namespace's host name does not resolve: a typo, or the wrong cloud.</summary>
    NamespaceNotFound,

    /// <summary>The namespace exists but has no such queue.</summary>
    QueueNotFound,

    /// <summary>No token could be had for the signed-in identity.</summary>
    SignInFailed,

    /// <summary>The namespace did not answer, or answered with an error that may pass.</summary>
    Unreachable,
}
