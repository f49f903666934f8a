using RevokeFunctions.Requests;

namespace RevokeFunctions.Users;

/// <summary>
/// Resolves a target to one canonical user. When a payload gives several identifiers for one person (an HR leaver's
/// employee ID and UPN) they must all name the same user: a disagreement is <c>AmbiguousUser</c>, never a guess.
/// </summary>
public sealed class UserResolver(IUserDirectory directory)
{
    public async Task<ResolvedTarget> ResolveAsync(RequestedTarget target, CancellationToken cancellationToken)
    {
        DirectoryUser? user = null;
        foreach (var identifier in target.Identifiers)
        {
            var lookup = await directory.FindAsync(identifier, cancellationToken);
            switch (lookup.Status)
            {
                case UserLookupStatus.Failed:
                    return new ResolvedTarget(target, UserLookupStatus.Failed, user, lookup.Failure!.Message, lookup.Failure);
                case UserLookupStatus.Ambiguous:
                    return new ResolvedTarget(target, UserLookupStatus.Ambiguous, null,
                        $"More than one user matches the {Describe(identifier)}; name the user by object ID or UPN.");
                case UserLookupStatus.NotFound when user is null:
                    return new ResolvedTarget(target, UserLookupStatus.NotFound, null,
                        $"No user in the directory matches the {Describe(identifier)}.");
                case UserLookupStatus.NotFound:
                    return new ResolvedTarget(target, UserLookupStatus.Ambiguous, null,
                        $"The {Describe(target.Primary)} names user {user.Id}, but no user matches the {Describe(identifier)}; "
                        + "the identifiers disagree, so nobody was revoked.");
                case UserLookupStatus.Found when user is not null && user.Id != lookup.User!.Id:
                    return new ResolvedTarget(target, UserLookupStatus.Ambiguous, null,
                        $"The {Describe(target.Primary)} and the {Describe(identifier)} name different users "
                        + $"({user.Id} and {lookup.User.Id}); nobody was revoked.");
                default:
                    user ??= lookup.User;
                    break;
            }
        }
        return new ResolvedTarget(target, UserLookupStatus.Found, user, null);
    }

    private static string Describe(UserIdentifier identifier) => identifier.Kind switch
    {
        UserIdentifierKind.ObjectId => $"object ID {identifier.Value}",
        UserIdentifierKind.UserPrincipalName => $"user principal name or mail {identifier.Value}",
        _ => $"employee ID {identifier.Value}",
    };
}
