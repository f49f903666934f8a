using System.Net;
using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class RecordingTests : IAsyncLifetime
{
    private SandboxSession sandbox = null!;

    public async Task InitializeAsync() => sandbox = await SandboxSession.StartAsync();

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task Requests_are_recorded_in_order_with_decoded_path_query_and_filter()
    {
        var before = DateTimeOffset.UtcNow;
        (await sandbox.GetAsync("users/jo.smith_fabrikam.com%23EXT%23%40contoso.onmicrosoft.com?%24select=id,userType")).Dispose();
        (await sandbox.GetAsync($"users?%24filter={Uri.EscapeDataString("mail eq 'o''brien@contoso.com'")}&%24top=2")).Dispose();
        (await sandbox.RevokeAsync(FixtureUsers.AliceId)).Dispose();
        (await sandbox.GetAsync("users?$filter=mail eq 'x' or 1 eq 1")).Dispose();

        var requests = sandbox.Server.Requests;

        Assert.Equal(4, requests.Count);
        Assert.Equal(new SandboxRequest("GET", "/v1.0/users/jo.smith_fabrikam.com#EXT#@contoso.onmicrosoft.com", "$select=id,userType", null, 200, requests[0].At), requests[0]);
        Assert.Equal("/v1.0/users", requests[1].Path);
        Assert.Equal("mail eq 'o''brien@contoso.com'", requests[1].Filter);
        Assert.Equal("$filter=mail eq 'o''brien@contoso.com'&$top=2", requests[1].Query);
        Assert.Equal(("POST", $"/v1.0/users/{FixtureUsers.AliceId}/revokeSignInSessions", 200), (requests[2].Method, requests[2].Path, requests[2].StatusCode));
        Assert.Equal(("mail eq 'x' or 1 eq 1", 400), (requests[3].Filter, requests[3].StatusCode));
        Assert.All(requests, r => Assert.InRange(r.At, before, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Reset_recording_clears_requests_and_counters_but_keeps_the_tenant()
    {
        using var revoked = await sandbox.RevokeAsync(FixtureUsers.AliceId);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var validFrom = sandbox.Server.Tenant.FindById(FixtureUsers.AliceId)!.SignInSessionsValidFromDateTime;

        sandbox.Server.ResetRecording();

        Assert.Empty(sandbox.Server.Requests);
        Assert.Equal(0, sandbox.Server.TotalRevocations);
        Assert.Equal(0, sandbox.Server.RevocationCount(FixtureUsers.AliceId));
        Assert.Equal(validFrom, sandbox.Server.Tenant.FindById(FixtureUsers.AliceId)!.SignInSessionsValidFromDateTime);
    }

    [Fact]
    public async Task The_base_url_is_loopback_v1_without_a_trailing_slash()
    {
        var baseUrl = sandbox.Server.BaseUrl;

        Assert.Equal("127.0.0.1", baseUrl.Host);
        Assert.NotEqual(0, baseUrl.Port);
        Assert.EndsWith(":" + baseUrl.Port + "/v1.0", baseUrl.ToString(), StringComparison.Ordinal);
        using var response = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
