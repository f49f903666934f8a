using RevokeFunctions.Graph;

namespace RevokeFunctions.Users;

/// <summary>The answer to "who is this?": one user, nobody, several, or a Graph failure.</summary>
public sealed record UserLookup(UserLookupStatus Status, DirectoryUser? User = null, GraphFailure? Failure = null)
{
    public static readonly UserLookup NotFound = new(UserLookupStatus.NotFound);

    public static readonly UserLookup Ambiguous = new(UserLookupStatus.Ambiguous);

    public static UserLookup Found(DirectoryUser user) => new(UserLookupStatus.Found, user);

    public static UserLookup Failed(GraphFailure failure) => new(UserLookupStatus.Failed, Failure: failure);
}
