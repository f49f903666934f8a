using RevokeFunctions.Tests.Formats;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Http;

/// <summary>A risky user whose risk is no longer active, over HTTP: a typed refusal, not a success and not a 500.</summary>
public sealed class RiskyUserHttpTests
{
    [Fact]
    public async Task A_dismissed_risky_user_is_422_risk_not_active_and_nobody_is_revoked()
    {
        await using var env = await TestEnvironment.StartAsync();
        var user = SampleFiles.Object("risky-users.json")["value"]![0]!.DeepClone().AsObject();
        user["riskState"] = "dismissed";

        var response = await HttpCall.PostAsync(env, user.ToJsonString());

        Assert.Equal(422, response.Status);
        Assert.Equal("urn:revokefunctions:problem:risk-not-active", response.Body.GetProperty("type").GetString());
        Assert.Equal("RiskNotActive", response.Body.GetProperty("reasonCode").GetString());
        var result = Assert.Single(response.Body.GetProperty("results").EnumerateArray());
        Assert.Equal("Refused", result.GetProperty("outcome").GetString());
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }
}
