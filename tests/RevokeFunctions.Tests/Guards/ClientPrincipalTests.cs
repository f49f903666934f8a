using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using RevokeFunctions.App.Http;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Tests.Guards;

/// <summary>App Service Authentication's <c>X-MS-CLIENT-PRINCIPAL</c> and the caller decision built on it.</summary>
public sealed class ClientPrincipalTests
{
    private const string Oid = "5f0a5c3e-8a1b-4c55-9d7e-2b1f0c9e4a11";
    private const string App = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    public static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    /// <summary>The shape App Service sends for an Entra ID user (a delegated token, with <c>scp</c>) with app roles.</summary>
    public static string UserPrincipal(params string[] roles) => Principal(["""{"typ":"http://schemas.microsoft.com/identity/claims/scope","val":"user_impersonation"}"""], roles);

    /// <summary>The shape App Service sends for an app-only token (a managed identity): roles, no <c>scp</c>.</summary>
    public static string AppOnlyPrincipal(params string[] roles) => Principal([], roles);

    private static string Principal(string[] extra, string[] roles)
    {
        var claims = new List<string>
        {
            $$"""{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"{{Oid}}"}""",
            """{"typ":"name","val":"Tessa Morgan"}""",
            """{"typ":"preferred_username","val":"tessa.morgan@contoso.com"}""",
            $$"""{"typ":"aud","val":"{{App}}"}""",
            $$"""{"typ":"azp","val":"{{App}}"}""",
        };
        claims.AddRange(extra);
        claims.AddRange(roles.Select(r => $$"""{"typ":"roles","val":"{{r}}"}"""));
        return Encode($$"""{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{{string.Join(",", claims)}}]}""");
    }

    /// <summary>The platform's word on App Service Authentication, as the app reads it from its settings.</summary>
    public static PlatformAuthentication Platform(bool enabled = true) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PlatformAuthentication.Setting] = enabled ? "True" : null,
        }).Build(), NullLogger<PlatformAuthentication>.Instance);

    [Fact]
    public void A_user_principal_yields_object_ID_app_ID_name_and_roles()
    {
        var principal = ClientPrincipal.Parse(UserPrincipal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole));

        Assert.NotNull(principal);
        Assert.Equal("aad", principal.IdentityProvider);
        Assert.Equal(Oid, principal.ObjectId);
        Assert.Equal(App, principal.AppId);
        Assert.Equal("Tessa Morgan", principal.Name);
        Assert.True(principal.IsInRole(CallerAuthorization.SubmitRole));
        Assert.True(principal.IsInRole(CallerAuthorization.ProtectedRole));
        Assert.False(principal.IsInRole("revocations.submit"));
    }

    [Fact]
    public void Roles_are_read_from_the_claim_type_role_typ_names_and_an_app_only_principal_has_an_app_ID()
    {
        var header = Encode($$"""
            {"auth_typ":"aad","name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
             "claims":[{"typ":"oid","val":"{{Oid.ToUpperInvariant()}}"},{"typ":"appid","val":"{{App}}"},
                       {"typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","val":"Revocations.Submit"}]}
            """);

        var principal = ClientPrincipal.Parse(header);

        Assert.NotNull(principal);
        Assert.Equal(Oid, principal.ObjectId);
        Assert.Equal(App, principal.AppId);
        Assert.Null(principal.Name);
        Assert.True(principal.IsInRole(CallerAuthorization.SubmitRole));
    }

    [Fact]
    public void Base64url_without_padding_is_accepted()
    {
        var standard = UserPrincipal(CallerAuthorization.SubmitRole);
        var url = standard.TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(Oid, ClientPrincipal.Parse(url)?.ObjectId);
    }

    public static TheoryData<string?> Garbage => new()
    {
        null,
        "",
        "   ",
        "not base64 at all!",
        Encode("not json"),
        Encode("[]"),
        Encode("{}"),
        Encode("""{"claims":{}}"""),
        Encode("""{"claims":[{"typ":"oid","val":42}]}"""),
        Encode("""{"claims":[{"typ":"oid"}]}"""),
        Encode("""{"claims":["oid"]}"""),
        Encode("""{"auth_typ":7,"claims":[{"typ":"oid","val":"5f0a5c3e-8a1b-4c55-9d7e-2b1f0c9e4a11"}]}"""),
        Encode("""{"claims":[{"typ":"oid","val":"5f0a5c3e-8a1b-4c55-9d7e-2b1f0c9e4a11"}],"claims":[]}"""),
        Encode("""{"claims":[{"typ":"name","val":"no identity"},{"typ":"roles","val":"Revocations.Submit"}]}"""),
        Encode("""{"claims":[{"typ":"oid","val":"not-a-guid"},{"typ":"roles","val":"Revocations.Submit"}]}"""),
        Encode("""{"claims":[{"typ":"oid","val":"00000000-0000-0000-0000-000000000000"}]}"""),
        Encode("""{"claims":[{"typ":"oid","val":"5f0a5c3e-8a1b-4c55-9d7e-2b1f0c9e4a11"}]"""),
        Encode(new string('[', 100) + new string(']', 100)),
        Encode("{\"claims\":[" + string.Join(",", Enumerable.Repeat("{\"typ\":\"x\",\"val\":\"y\"}", 4000)) + "]}"),
        "\u0000\u0001",
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_is_no_principal(string? header)
    {
        Assert.Null(ClientPrincipal.Parse(header));
    }

    [Fact]
    public void A_name_is_cleaned_of_control_characters_and_bounded()
    {
        var header = Encode($$"""{"claims":[{"typ":"oid","val":"{{Oid}}"},{"typ":"name","val":"Eve\r\nINFO forged log line{{new string('x', 400)}}"}]}""");

        var name = ClientPrincipal.Parse(header)?.Name;

        Assert.NotNull(name);
        Assert.DoesNotContain('\n', name);
        Assert.DoesNotContain('\r', name);
        Assert.Equal(256, name.Length);
    }

    private static HeaderDictionary Headers(params string[] principals)
    {
        var headers = new HeaderDictionary();
        if (principals.Length > 0)
            headers[ClientPrincipal.HeaderName] = principals;
        return headers;
    }

    [Fact]
    public void A_principal_with_the_submit_role_is_allowed_and_recorded_by_name_and_IDs()
    {
        var decision = CallerAuthorization.Decide(Headers(UserPrincipal(CallerAuthorization.SubmitRole)), Platform());

        Assert.Equal(CallerVerdict.Allowed, decision.Verdict);
        Assert.Equal($"Tessa Morgan (oid {Oid}, app {App})", decision.Requester);
        Assert.Equal(Oid, decision.RequesterId);
        Assert.True(decision.IsPerson);
        Assert.False(decision.MayRevokeProtected);
    }

    [Fact]
    public void The_protected_role_lets_the_caller_revoke_protected_accounts()
    {
        var decision = CallerAuthorization.Decide(Headers(UserPrincipal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole)), Platform());

        Assert.True(decision.IsAllowed);
        Assert.True(decision.MayRevokeProtected);
    }

    [Fact]
    public void The_protected_role_alone_does_not_allow_submitting()
    {
        var decision = CallerAuthorization.Decide(Headers(UserPrincipal(CallerAuthorization.ProtectedRole)), Platform());

        Assert.Equal(CallerVerdict.Forbidden, decision.Verdict);
    }

    [Fact]
    public void A_principal_without_the_submit_role_is_forbidden()
    {
        var decision = CallerAuthorization.Decide(Headers(UserPrincipal("Some.Other.Role")), Platform());

        Assert.Equal(CallerVerdict.Forbidden, decision.Verdict);
        Assert.Contains(CallerAuthorization.SubmitRole, decision.Detail, StringComparison.Ordinal);
        Assert.Null(decision.Requester);
    }

    [Fact]
    public void No_principal_is_unauthenticated()
    {
        var decision = CallerAuthorization.Decide(Headers(), Platform());

        Assert.Equal(CallerVerdict.Unauthenticated, decision.Verdict);
        Assert.False(string.IsNullOrWhiteSpace(decision.Detail));
    }

    [Fact]
    public void A_garbage_principal_is_unauthenticated()
    {
        var decision = CallerAuthorization.Decide(Headers("garbage"), Platform());

        Assert.Equal(CallerVerdict.Unauthenticated, decision.Verdict);
    }

    [Fact]
    public void An_app_only_principal_with_the_submit_and_protected_roles_is_automation_not_a_person()
    {
        var decision = CallerAuthorization.Decide(Headers(AppOnlyPrincipal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole)), Platform());

        Assert.Equal(CallerVerdict.Allowed, decision.Verdict);
        Assert.False(decision.IsPerson);
    }

    [Theory]
    [InlineData("""{"typ":"idtyp","val":"user"}""", true)]
    [InlineData("""{"typ":"idtyp","val":"app"}""", false)]
    [InlineData("""{"typ":"scp","val":"user_impersonation"}""", true)]
    [InlineData("""{"typ":"scp","val":"user_impersonation"},{"typ":"idtyp","val":"app"}""", false)]
    [InlineData("""{"typ":"scp","val":" "}""", false)]
    public void Only_a_delegated_user_token_is_a_person(string claims, bool isUser)
    {
        var principal = ClientPrincipal.Parse(Encode($$"""{"auth_typ":"aad","claims":[{"typ":"oid","val":"{{Oid}}"},{{claims}}]}"""));

        Assert.NotNull(principal);
        Assert.Equal(isUser, principal.IsUser);
    }

    [Fact]
    public void With_platform_authentication_off_even_a_valid_looking_principal_is_refused()
    {
        var decision = CallerAuthorization.Decide(Headers(UserPrincipal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole)), Platform(enabled: false));

        Assert.Equal(CallerVerdict.AuthenticationNotConfigured, decision.Verdict);
        Assert.Contains("WEBSITE_AUTH_ENABLED", decision.Detail, StringComparison.Ordinal);
        Assert.False(decision.IsAllowed);
    }

    [Fact]
    public void Two_principal_headers_are_unauthenticated()
    {
        var header = UserPrincipal(CallerAuthorization.SubmitRole);

        var decision = CallerAuthorization.Decide(Headers(header, header), Platform());

        Assert.Equal(CallerVerdict.Unauthenticated, decision.Verdict);
    }
}
