using RevokeFunctions.WriteBack;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>Only an incident resource ID in Sentinel's own shape is ever turned into an ARM request.</summary>
public sealed class SentinelIncidentIdTests
{
    private const string Valid =
        "/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg-soc-prod/providers/Microsoft.OperationalInsights"
        + "/workspaces/law-contoso-sentinel/providers/Microsoft.SecurityInsights/Incidents/3dfb8416-4ba6-42a3-be8d-40e3ca6dcd58";

    [Fact]
    public void Sentinels_own_shape_becomes_the_comment_path()
    {
        Assert.True(SentinelIncidentId.TryParse(Valid, out var incident));
        var comment = Guid.Parse("0b7a2f0e-3c3a-4f9b-9a51-2a4c4f1b8e11");

        Assert.Equal(
            "/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg-soc-prod/providers/Microsoft.OperationalInsights"
            + "/workspaces/law-contoso-sentinel/providers/Microsoft.SecurityInsights/incidents/3dfb8416-4ba6-42a3-be8d-40e3ca6dcd58"
            + "/comments/0b7a2f0e-3c3a-4f9b-9a51-2a4c4f1b8e11",
            incident.CommentPath(comment));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1")]
    [InlineData("/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/../providers/Microsoft.OperationalInsights/workspaces/law-1/providers/Microsoft.SecurityInsights/Incidents/1")]
    [InlineData("/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-1/providers/Microsoft.SecurityInsights/Incidents/1/comments/2")]
    [InlineData("/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-1/providers/Microsoft.SecurityInsights/Incidents/1?api-version=x")]
    [InlineData("/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-1/providers/Microsoft.SecurityInsights/Incidents/1%2F..")]
    [InlineData("/subscriptions/not-a-guid-not-a-guid-not-a-guid-0000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-1/providers/Microsoft.SecurityInsights/Incidents/1")]
    [InlineData("https://evil.example/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-1/providers/Microsoft.SecurityInsights/Incidents/1")]
    [InlineData("/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg./providers/Microsoft.OperationalInsights/workspaces/law-1/providers/Microsoft.SecurityInsights/Incidents/1")]
    public void Anything_else_is_refused(string resourceId) =>
        Assert.False(SentinelIncidentId.TryParse(resourceId, out _));
}
