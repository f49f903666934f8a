using System.Buffers.Text;
using System.Text;
using Azure.Core;
using RevokeFunctions.Operations;

namespace RevokeFunctions.Tests.Operations;

/// <summary>The name stamped on a resubmission: the signed-in identity from its token's claims, else the local user.</summary>
public sealed class OperatorIdentityTests
{
    private static string Jwt(string claimsJson) =>
        $"{Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claimsJson))}.c2ln";

    [Fact]
    public async Task A_signed_in_user_is_named_by_upn_from_a_token_for_service_bus()
    {
        var credential = new IssuingCredential(Jwt("""{"oid":"0b1c","upn":"tessa.morgan@contoso.com","name":"Tessa"}"""));

        var name = await new TokenOperatorIdentity(credential).GetNameAsync(CancellationToken.None);

        Assert.Equal("tessa.morgan@contoso.com", name);
        Assert.Equal(["https://servicebus.azure.net/.default"], credential.Scopes);
    }

    [Theory]
    [InlineData("""{"preferred_username":"guest@fabrikam.com","oid":"1"}""", "guest@fabrikam.com")]
    [InlineData("""{"appid":"6f1d2c3b-4a59-4e87-9b21-0c3d4e5f6a7b","oid":"2"}""", "app:6f1d2c3b-4a59-4e87-9b21-0c3d4e5f6a7b")]
    [InlineData("""{"oid":"9bda968c-0255-45a3-9894-9fc8b7c45cf5"}""", "oid:9bda968c-0255-45a3-9894-9fc8b7c45cf5")]
    [InlineData("""{"upn":""}""", null)]
    [InlineData("""[1,2]""", null)]
    public void Claims_name_users_first_then_applications(string claims, string? expected) =>
        Assert.Equal(expected, TokenOperatorIdentity.NameFromClaims(Jwt(claims)));

    [Theory]
    [InlineData("opaque-token")]
    [InlineData("a.b")]
    [InlineData("a.%%%.c")]
    public void A_token_that_is_not_a_jwt_names_nobody(string token) =>
        Assert.Null(TokenOperatorIdentity.NameFromClaims(token));

    [Fact]
    public async Task Without_a_token_the_local_user_name_is_used()
    {
        var name = await new TokenOperatorIdentity(new IssuingCredential(null)).GetNameAsync(CancellationToken.None);

        Assert.Equal(Environment.UserName, name);
    }

    /// <summary>A credential that issues one fixed token, or fails as a missing sign-in does.</summary>
    private sealed class IssuingCredential(string? token) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return token is null
                ? throw new Azure.Identity.CredentialUnavailableException("No account is signed in.")
                : ValueTask.FromResult(new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
