using Microsoft.Graph;
using Microsoft.Graph.Users.Item.CheckMemberGroups;
using Microsoft.Kiota.Abstractions.Authentication;
using RevokeFunctions.Graph;

namespace RevokeFunctions.Tests.RateLimiting;

/// <summary>The costs the limiter charges, for the requests the Graph SDK actually builds (Graph's published cost table).</summary>
public sealed class GraphRequestCostTests
{
    private static readonly string[] Select = ["id", "userPrincipalName", "userType", "accountEnabled", "signInSessionsValidFromDateTime"];

    private static readonly GraphServiceClient Graph = new(new HttpClient(), new AnonymousAuthenticationProvider(), "https://graph.microsoft.com/v1.0");

    [Fact]
    public void A_user_by_key_with_select_costs_one_unit_and_no_write()
    {
        var request = Graph.Users["alice@contoso.com"].ToGetRequestInformation(r => r.QueryParameters.Select = Select);

        Assert.Equal(new GraphRequestCost(1, 0), GraphRequestCost.Of(HttpMethod.Get, request.URI));
    }

    [Fact]
    public void A_filtered_user_list_costs_two_less_one_for_select_and_one_for_a_small_top_but_never_below_one()
    {
        var filtered = Graph.Users.ToGetRequestInformation(r =>
        {
            r.QueryParameters.Filter = "mail eq 'paul.meyer@contoso.com'";
            r.QueryParameters.Select = Select;
            r.QueryParameters.Top = 2;
        });
        var bare = Graph.Users.ToGetRequestInformation(r => r.QueryParameters.Filter = "employeeId eq '100917'");
        var expanded = Graph.Users.ToGetRequestInformation(r => r.QueryParameters.Expand = ["manager"]);

        Assert.Equal(new GraphRequestCost(1, 0), GraphRequestCost.Of(HttpMethod.Get, filtered.URI));
        Assert.Equal(new GraphRequestCost(2, 0), GraphRequestCost.Of(HttpMethod.Get, bare.URI));
        Assert.Equal(new GraphRequestCost(3, 0), GraphRequestCost.Of(HttpMethod.Get, expanded.URI));
    }

    [Fact]
    public void Revoking_sessions_is_one_write()
    {
        var request = Graph.Users["e322f459-1f7e-41e3-b903-5ceb208d9205"].RevokeSignInSessions.ToPostRequestInformation();

        Assert.Equal(new GraphRequestCost(1, 1), GraphRequestCost.Of(HttpMethod.Post, request.URI));
    }

    [Fact]
    public void CheckMemberGroups_is_a_POST_that_reads_four_units_and_writes_nothing()
    {
        var request = Graph.Users["e322f459-1f7e-41e3-b903-5ceb208d9205"].CheckMemberGroups
            .ToPostRequestInformation(new CheckMemberGroupsPostRequestBody { GroupIds = ["6be4fb7f-3426-4ac5-bb93-6996eb9b05ba"] });

        Assert.Equal(new GraphRequestCost(4, 0), GraphRequestCost.Of(HttpMethod.Post, request.URI));
        Assert.Equal(new GraphRequestCost(4, 0), GraphRequestCost.Of(HttpMethod.Post,
            new Uri("https://graph.microsoft.com/v1.0/users/e322f459-1f7e-41e3-b903-5ceb208d9205/microsoft.graph.checkMemberGroups")));
    }

    [Fact]
    public void An_update_is_one_write_in_every_national_cloud()
    {
        Assert.Equal(new GraphRequestCost(1, 1), GraphRequestCost.Of(HttpMethod.Patch, new Uri("https://graph.microsoft.us/v1.0/users/alice@contoso.com")));
    }
}
