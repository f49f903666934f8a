namespace RevokeFunctions.App.Http;

/// <summary>Whether an HTTP caller may submit revocations.</summary>
public enum CallerVerdict
{
    Allowed,

    /// <summary>No usable principal (and function-key callers are not allowed): 401.</summary>
    Unauthenticated,

    /// <summary>A principal without the <c>Revocations.Submit</c> app role: 403.</summary>
    Forbidden,
}
