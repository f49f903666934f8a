using Microsoft.Graph;
using Microsoft.Graph.Models;
using RevokeFunctions.Graph;

namespace RevokeFunctions.Leavers;

/// <summary><c>PATCH /users/{id}</c> with <c>accountEnabled=false</c>; idempotent on Graph's side.</summary>
public sealed class GraphAccountDisabler(GraphServiceClient graph) : IAccountDisabler
{
    public async Task<GraphFailure?> DisableAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            await graph.Users[userId].PatchAsync(new User { AccountEnabled = false }, cancellationToken: cancellationToken);
            return null;
        }
        catch (Exception ex) when (GraphFailureClassifier.Classify(ex, cancellationToken) is { } failure)
        {
            return failure;
        }
    }
}
