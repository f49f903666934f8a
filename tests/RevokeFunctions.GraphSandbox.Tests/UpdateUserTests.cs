using System.Net;
using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class UpdateUserTests : IAsyncLifetime
{
    private SandboxSession sandbox = null!;

    public async Task InitializeAsync() => sandbox = await SandboxSession.StartAsync();

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task Patch_account_enabled_false_disables_the_user()
    {
        // The shape the Graph SDK sends: an "@odata.type" annotation plus the changed property.
        using var response = await sandbox.PatchJsonAsync($"users/{FixtureUsers.AliceId}",
            """{"@odata.type":"#microsoft.graph.user","accountEnabled":false}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(sandbox.Server.Tenant.FindById(FixtureUsers.AliceId)!.AccountEnabled);
        using var get = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}?$select=accountEnabled");
        Assert.False((await SandboxSession.ReadJsonAsync(get)).GetProperty("accountEnabled").GetBoolean());
    }

    [Theory]
    [InlineData("""{"accountEnabled":false,"displayName":"x"}""")]
    [InlineData("""{"accountEnabled":"false"}""")]
    [InlineData("""[{"accountEnabled":false}]""")]
    [InlineData("""{"accountEnabled":false""")]
    [InlineData("")]
    public async Task Patch_with_a_body_it_cannot_apply_is_400_and_changes_nothing(string body)
    {
        using var response = body.Length == 0
            ? await sandbox.Client.PatchAsync(new Uri($"users/{FixtureUsers.AliceId}", UriKind.Relative), null)
            : await sandbox.PatchJsonAsync($"users/{FixtureUsers.AliceId}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", await SandboxSession.ReadGraphErrorAsync(response));
        Assert.True(sandbox.Server.Tenant.FindById(FixtureUsers.AliceId)!.AccountEnabled);
    }

    [Fact]
    public async Task Patch_of_an_unknown_user_is_404()
    {
        using var response = await sandbox.PatchJsonAsync("users/nobody@contoso.com", """{"accountEnabled":false}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Request_ResourceNotFound", await SandboxSession.ReadGraphErrorAsync(response));
    }
}
