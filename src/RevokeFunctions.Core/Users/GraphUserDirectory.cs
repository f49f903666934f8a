using System.Diagnostics;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using RevokeFunctions.Graph;
using RevokeFunctions.Requests;
using RevokeFunctions.Telemetry;

namespace RevokeFunctions.Users;

/// <summary>
/// Resolves identifiers through Graph: object IDs and UPNs by key (<c>GET /users/{key}</c>), then mail and employee ID
/// by <c>$filter</c>. A filter asks for two rows so that "several users" is seen, never silently "the first one".
/// </summary>
public sealed class GraphUserDirectory(GraphServiceClient graph, RevocationMetrics metrics) : IUserDirectory
{
    private static readonly string[] Select =
        ["id", "userPrincipalName", "userType", "accountEnabled", "signInSessionsValidFromDateTime"];

    public async Task<UserLookup> FindAsync(UserIdentifier identifier, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var lookup = await LookUpAsync(identifier, cancellationToken);
        metrics.GraphCall("resolveUser", Stopwatch.GetElapsedTime(started), lookup.Failure?.StatusCode ?? 200);
        if (lookup.Failure?.Kind == GraphFailureKind.Throttled)
            metrics.GraphThrottled("resolveUser");
        return lookup;
    }

    private async Task<UserLookup> LookUpAsync(UserIdentifier identifier, CancellationToken cancellationToken)
    {
        try
        {
            switch (identifier.Kind)
            {
                case UserIdentifierKind.ObjectId:
                    return await GetByKeyAsync(identifier.Value, cancellationToken) ?? UserLookup.NotFound;
                case UserIdentifierKind.UserPrincipalName:
                    // A user's mail often differs from the UPN (pmeyer@ vs paul.meyer@): people name users by mail.
                    return await GetByKeyAsync(identifier.Value, cancellationToken)
                        ?? await FilterAsync("mail", identifier.Value, cancellationToken);
                case UserIdentifierKind.EmployeeId:
                    return await FilterAsync("employeeId", identifier.Value, cancellationToken);
                default:
                    throw new ArgumentOutOfRangeException(nameof(identifier), identifier.Kind, "Unknown identifier kind.");
            }
        }
        catch (Exception ex) when (GraphFailureClassifier.Classify(ex, cancellationToken) is { } failure)
        {
            return failure.Kind == GraphFailureKind.NotFound ? UserLookup.NotFound : UserLookup.Failed(failure);
        }
    }

    private async Task<UserLookup?> GetByKeyAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var user = await graph.Users[key].GetAsync(r => r.QueryParameters.Select = Select, cancellationToken);
            return user?.Id is null ? null : UserLookup.Found(ToDirectoryUser(user));
        }
        catch (Exception ex) when (GraphFailureClassifier.Classify(ex, cancellationToken) is { Kind: GraphFailureKind.NotFound })
        {
            return null;
        }
    }

    private async Task<UserLookup> FilterAsync(string property, string value, CancellationToken cancellationToken)
    {
        var page = await graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"{property} eq '{ODataLiteral.Escape(value)}'";
            r.QueryParameters.Select = Select;
            r.QueryParameters.Top = 2;
        }, cancellationToken);
        var users = page?.Value ?? [];
        return users.Count switch
        {
            0 => UserLookup.NotFound,
            1 when users[0].Id is not null => UserLookup.Found(ToDirectoryUser(users[0])),
            _ => UserLookup.Ambiguous,
        };
    }

    private static DirectoryUser ToDirectoryUser(User user) => new(
        user.Id!.ToLowerInvariant(),
        user.UserPrincipalName,
        user.UserType,
        user.AccountEnabled,
        user.SignInSessionsValidFromDateTime);
}
