using Azure.Core;
using Azure.Identity;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace RevokeFunctions.Tests.WriteBack;

// NSubstitute's setup syntax calls GetTokenAsync to name it; the ValueTask it returns there is never consumed.
#pragma warning disable CA2012

/// <summary>Token credentials as NSubstitute substitutes: one handing out a recognisable token, one that cannot get any.</summary>
public static class TestCredentials
{
    /// <summary>Hands out <paramref name="token"/>; how often and for which scopes it was asked is read with <see cref="Requests"/>.</summary>
    public static TokenCredential Handing(string token)
    {
        var credential = Substitute.For<TokenCredential>();
        var issued = new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        credential.GetToken(Arg.Any<TokenRequestContext>(), Arg.Any<CancellationToken>()).Returns(issued);
        credential.GetTokenAsync(Arg.Any<TokenRequestContext>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult(issued));
        return credential;
    }

    /// <summary>Throws what a managed-identity endpoint that hiccups makes <c>ManagedIdentityCredential</c> throw.</summary>
    public static TokenCredential Failing()
    {
        var credential = Substitute.For<TokenCredential>();
        var failure = new AuthenticationFailedException("ManagedIdentityCredential authentication failed: the identity endpoint did not answer.");
        credential.GetToken(Arg.Any<TokenRequestContext>(), Arg.Any<CancellationToken>()).Throws(failure);
        credential.GetTokenAsync(Arg.Any<TokenRequestContext>(), Arg.Any<CancellationToken>()).Throws(failure);
        return credential;
    }

    /// <summary>The scopes of every token request the credential received, one entry per request.</summary>
    public static IReadOnlyList<string[]> Requests(TokenCredential credential) =>
        [.. credential.ReceivedCalls()
            .Where(c => c.GetMethodInfo().Name is nameof(TokenCredential.GetToken) or nameof(TokenCredential.GetTokenAsync))
            .Select(c => ((TokenRequestContext)c.GetArguments()[0]!).Scopes)];
}
