using System.Net;
using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class CheckMemberGroupsTests(SharedSandboxFixture fixture) : IClassFixture<SharedSandboxFixture>
{
    private const string OtherGroup = "11111111-2222-4333-8444-555555555555";

    private readonly SandboxSession sandbox = fixture.Session;

    [Fact]
    public async Task Answers_the_subset_the_user_is_a_member_of()
    {
        using var response = await sandbox.PostJsonAsync($"users/{FixtureUsers.RuthId}/checkMemberGroups",
            $$"""{"groupIds":["{{OtherGroup}}","{{FixtureUsers.ProtectedGroupId.ToUpperInvariant()}}"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var value = (await SandboxSession.ReadJsonAsync(response)).GetProperty("value");
        Assert.Equal([FixtureUsers.ProtectedGroupId], value.EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task A_non_member_gets_an_empty_list()
    {
        using var response = await sandbox.PostJsonAsync($"users/{FixtureUsers.AliceUpn}/checkMemberGroups",
            $$"""{"groupIds":["{{FixtureUsers.ProtectedGroupId}}"]}""");

        Assert.Equal(0, (await SandboxSession.ReadJsonAsync(response)).GetProperty("value").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"groupIds":["not-a-guid"]}""")]
    [InlineData("""{"ids":[]}""")]
    [InlineData("""{"groupIds":""")]
    public async Task Bad_bodies_are_400(string body)
    {
        using var response = await sandbox.PostJsonAsync($"users/{FixtureUsers.RuthId}/checkMemberGroups", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", await SandboxSession.ReadGraphErrorAsync(response));
    }

    [Fact]
    public async Task More_than_twenty_group_ids_are_refused_as_graph_does()
    {
        var ids = string.Join(',', Enumerable.Range(0, 21).Select(_ => $"\"{Guid.NewGuid()}\""));
        using var response = await sandbox.PostJsonAsync($"users/{FixtureUsers.RuthId}/checkMemberGroups", $$"""{"groupIds":[{{ids}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
