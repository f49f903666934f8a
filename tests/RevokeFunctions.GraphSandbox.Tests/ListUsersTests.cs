using System.Net;
using System.Text.Json;
using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class ListUsersTests(SharedSandboxFixture fixture) : IClassFixture<SharedSandboxFixture>
{
    private readonly SandboxSession sandbox = fixture.Session;

    [Theory]
    [InlineData("mail eq 'paul.meyer@contoso.com'", FixtureUsers.PaulMeyerId)]
    [InlineData("mail eq 'PAUL.MEYER@contoso.com'", FixtureUsers.PaulMeyerId)]
    [InlineData("employeeId eq '100101'", FixtureUsers.AliceId)]
    [InlineData("userPrincipalName eq 'Alice@Contoso.com'", FixtureUsers.AliceId)]
    [InlineData("userPrincipalName eq 'jo.smith_fabrikam.com#EXT#@contoso.onmicrosoft.com'", FixtureUsers.GuestJoId)]
    [InlineData("id eq 'E322F459-1F7E-41E3-B903-5CEB208D9205'", FixtureUsers.AliceId)]
    [InlineData("  mail   eq   'paul.meyer@contoso.com'  ", FixtureUsers.PaulMeyerId)]
    public async Task Filter_eq_finds_exactly_the_matching_user(string filter, string expectedId)
    {
        var users = await ListAsync($"$filter={Uri.EscapeDataString(filter)}&$select=id,mail&$top=2");

        Assert.Equal([expectedId], users.Select(u => u.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("employeeId eq '0100101'")]
    [InlineData("employeeId eq '100101 '")]
    [InlineData("mail eq 'pmeyer@contoso.com'")]
    [InlineData("mail eq ''")]
    [InlineData("mail eq 'x'' or ''1''=''1'")]
    [InlineData("id eq '00000000-0000-0000-0000-000000000000'")]
    public async Task Filter_eq_matches_nothing_else(string filter)
    {
        Assert.Empty(await ListAsync($"$filter={Uri.EscapeDataString(filter)}"));
    }

    [Fact]
    public async Task Filter_sent_the_way_kiota_encodes_it_works()
    {
        using var response = await sandbox.GetAsync(
            "users?%24filter=mail%20eq%20%27paul.meyer%40contoso.com%27&%24select=id,userPrincipalName&%24top=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var value = (await SandboxSession.ReadJsonAsync(response)).GetProperty("value");
        Assert.Equal(FixtureUsers.PaulMeyerUpn, Assert.Single(value.EnumerateArray()).GetProperty("userPrincipalName").GetString());
    }

    [Fact]
    public async Task A_doubled_quote_in_a_literal_is_one_quote()
    {
        var users = SandboxTenant.Load(TestPaths.TenantFile).Users.Append(new SandboxUser(
            "0f9a4a55-3c4e-4a36-9a52-0f4c8c1d2e01", "obrien@contoso.com", "o'brien@contoso.com", "300001", "Member", true,
            DateTimeOffset.UnixEpoch, []));
        await using var own = await SandboxSession.StartAsync(tenant: SandboxTenant.FromUsers(users));

        using var response = await own.GetAsync($"users?$filter={Uri.EscapeDataString("mail eq 'o''brien@contoso.com'")}");

        var value = (await SandboxSession.ReadJsonAsync(response)).GetProperty("value");
        Assert.Equal("obrien@contoso.com", Assert.Single(value.EnumerateArray()).GetProperty("userPrincipalName").GetString());
    }

    [Theory]
    [InlineData("mail eq 'x' or 1 eq 1 or id eq ''", "Request_UnsupportedQuery")]
    [InlineData("mail eq 'x' or mail ne 'x'", "Request_UnsupportedQuery")]
    [InlineData("mail eq 'alice@contoso.com' and employeeId eq '100101'", "Request_UnsupportedQuery")]
    [InlineData("mail eq 'unterminated", "BadRequest")]
    [InlineData("mail eq alice@contoso.com", "BadRequest")]
    [InlineData("mail ne 'alice@contoso.com'", "Request_UnsupportedQuery")]
    [InlineData("startswith(mail,'a')", "Request_UnsupportedQuery")]
    [InlineData("displayName eq 'Alice'", "Request_UnsupportedQuery")]
    [InlineData("(mail eq 'alice@contoso.com')", "BadRequest")]
    [InlineData("id eq 'not-a-guid'", "BadRequest")]
    [InlineData("", "BadRequest")]
    public async Task Unsupported_or_malformed_filters_are_400_and_return_nobody(string filter, string code)
    {
        using var response = await sandbox.GetAsync($"users?$filter={Uri.EscapeDataString(filter)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await SandboxSession.ReadGraphErrorAsync(response));
        Assert.DoesNotContain("\"value\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_pages_with_a_next_link_that_walks_every_user_once()
    {
        var seen = new List<string>();
        var next = "users?$top=30&$select=id";
        for (var pages = 0; next is not null; pages++)
        {
            Assert.True(pages < 5, "too many pages");
            using var response = await sandbox.Client.GetAsync(new Uri(next, UriKind.RelativeOrAbsolute));
            var page = await SandboxSession.ReadJsonAsync(response);
            seen.AddRange(page.GetProperty("value").EnumerateArray().Select(u => u.GetProperty("id").GetString()!));
            next = page.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        Assert.Equal(FixtureUsers.Count, seen.Count);
        Assert.Equal(FixtureUsers.Count, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("$top=0")]
    [InlineData("$top=1000")]
    [InlineData("$top=two")]
    [InlineData("$orderby=mail")]
    [InlineData("$count=true")]
    public async Task Bad_list_options_are_400(string query)
    {
        using var response = await sandbox.GetAsync($"users?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await SandboxSession.ReadGraphErrorAsync(response);
    }

    [Fact]
    public async Task Count_needs_consistency_level_eventual()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("users?$count=true&$top=1&$filter=mail eq 'alice@contoso.com'", UriKind.Relative));
        request.Headers.Add("ConsistencyLevel", "eventual");
        using var response = await sandbox.Client.SendAsync(request);

        Assert.Equal(1, (await SandboxSession.ReadJsonAsync(response)).GetProperty("@odata.count").GetInt32());
    }

    private async Task<List<JsonElement>> ListAsync(string query)
    {
        using var response = await sandbox.GetAsync($"users?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await SandboxSession.ReadJsonAsync(response)).GetProperty("value").EnumerateArray()];
    }
}
