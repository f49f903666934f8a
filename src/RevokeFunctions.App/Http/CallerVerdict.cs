namespace RevokeFunctions.App.Http;

/// <summary>Whether an HTTP caller may submit revocations.</summary>
public enum CallerVerdict
{
    Allowed,

    /// <summary>No usable principal: 401.</summary>
    Unauthenticated,

    /// <summary>A principal without the <c>Revocations.Submit</c> app role: 403.</summary>
    Forbidden,

    /// <summary>App Service Authentication is off, so no principal can be trusted: 401 for everyone.</summary>
    AuthenticationNotConfigured,
}
