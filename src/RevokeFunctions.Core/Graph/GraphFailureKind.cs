namespace RevokeFunctions.Graph;

public enum GraphFailureKind
{
    NotFound,
    Forbidden,
    Unauthorized,
    BadRequest,
    Throttled,
    Unavailable,
    Timeout,
}
