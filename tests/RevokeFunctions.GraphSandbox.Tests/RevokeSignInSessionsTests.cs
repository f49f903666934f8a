using System.Net;
using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class RevokeSignInSessionsTests : IAsyncLifetime
{
    private SandboxSession sandbox = null!;

    public async Task InitializeAsync() => sandbox = await SandboxSession.StartAsync();

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task Revoke_moves_valid_from_to_now_and_answers_true()
    {
        var before = DateTimeOffset.UtcNow;
        using var response = await sandbox.RevokeAsync(FixtureUsers.AliceId);
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await SandboxSession.ReadJsonAsync(response);
        Assert.True(body.GetProperty("value").GetBoolean());
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean", body.GetProperty("@odata.context").GetString());

        var validFrom = sandbox.Server.Tenant.FindById(FixtureUsers.AliceId)!.SignInSessionsValidFromDateTime;
        Assert.InRange(validFrom, before, after);
        Assert.Equal(TimeSpan.Zero, validFrom.Offset);
        Assert.Equal(1, sandbox.Server.RevocationCount(FixtureUsers.AliceId));
        Assert.Equal(1, sandbox.Server.RevocationCount(FixtureUsers.AliceId.ToUpperInvariant()));
        Assert.Equal(1, sandbox.Server.TotalRevocations);
    }

    [Fact]
    public async Task Graph_shows_the_new_valid_from_in_whole_utc_seconds()
    {
        var before = DateTimeOffset.UtcNow;
        (await sandbox.RevokeAsync(FixtureUsers.AliceId)).Dispose();

        using var response = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}?$select=signInSessionsValidFromDateTime");
        var text = (await SandboxSession.ReadJsonAsync(response)).GetProperty("signInSessionsValidFromDateTime").GetString()!;

        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", text);
        Assert.InRange(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture), before.AddSeconds(-1), DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("users/ALICE%40contoso.com/revokeSignInSessions")]
    [InlineData("users/{E322F459-1F7E-41E3-B903-5CEB208D9205}/revokeSignInSessions")]
    [InlineData("users/e322f459-1f7e-41e3-b903-5ceb208d9205/microsoft.graph.revokeSignInSessions")]
    public async Task Revoke_by_any_key_form_counts_under_the_object_id(string path)
    {
        using var response = await sandbox.PostJsonAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, sandbox.Server.RevocationCount(FixtureUsers.AliceId));
    }

    [Fact]
    public async Task Revoking_an_unknown_user_is_404_and_changes_nothing()
    {
        using var response = await sandbox.RevokeAsync("3f1c0d4e-0000-4000-8000-000000000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Request_ResourceNotFound", await SandboxSession.ReadGraphErrorAsync(response));
        Assert.Equal(0, sandbox.Server.TotalRevocations);
    }

    [Fact]
    public async Task Concurrent_revocations_are_all_counted()
    {
        var ids = sandbox.Server.Tenant.Users.Select(u => u.Id).ToArray();

        var responses = await Task.WhenAll(ids.Concat(ids).Select(sandbox.RevokeAsync));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(ids.Length * 2, sandbox.Server.TotalRevocations);
        Assert.All(ids, id => Assert.Equal(2, sandbox.Server.RevocationCount(id)));
        foreach (var response in responses)
            response.Dispose();
    }
}
