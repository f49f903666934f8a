using Azure.Core;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>A token credential that hands out a fixed, recognisable token and counts how often it was asked.</summary>
public sealed class RecordingCredential(string token) : TokenCredential
{
    private int calls;

    public int Calls => Volatile.Read(ref calls);

    public IReadOnlyList<string> Scopes => [.. scopes];

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> scopes = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        foreach (var scope in requestContext.Scopes)
            scopes.Enqueue(scope);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
