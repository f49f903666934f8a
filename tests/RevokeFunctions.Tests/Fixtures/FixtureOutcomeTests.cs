using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;

namespace RevokeFunctions.Tests.Fixtures;

/// <summary>
/// Every shared fixture through the real pipeline and through the HTTP function, each against a fresh sandbox on the
/// fixture tenant, ending exactly as expectations.json states. The HTTP function runs as deployed, with a revocation
/// queue to hand deferred targets to (a recording sender; Service Bus has no local emulator). The queue trigger's run
/// over the same cases is <c>QueueFixtureTests</c>.
/// </summary>
public sealed class FixtureOutcomeTests
{
    [Fact]
    public void Every_fixture_file_has_an_expectation_and_every_expectation_a_file()
    {
        Assert.Equal(FixtureCases.ExpectedFiles.Order(StringComparer.Ordinal), FixtureCases.Files());
    }

    [Theory]
    [MemberData(nameof(FixtureCases.All), MemberType = typeof(FixtureCases))]
    public async Task Through_the_pipeline_each_fixture_ends_as_expected(string file)
    {
        var expected = FixtureCases.Get(file);
        await using var env = await TestEnvironment.StartAsync();

        var result = await env.Pipeline.ProcessAsync(expected.ReadBody(), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);

        FixtureAssertions.Pipeline(expected, result, env.Sandbox);
    }

    [Theory]
    [MemberData(nameof(FixtureCases.All), MemberType = typeof(FixtureCases))]
    public async Task Through_the_HTTP_function_each_fixture_ends_as_expected(string file)
    {
        var expected = FixtureCases.Get(file);
        await using var env = await QueueTestEnvironment.StartAsync();

        var response = await env.PostAsync(expected.ReadBody());

        FixtureAssertions.Http(expected, response.Status, response.ContentType, response.Body, env.Sandbox);
    }

    [Fact]
    public async Task With_a_target_cap_below_60_the_60_account_incident_revokes_nobody()
    {
        var expected = FixtureCases.Get("edge/sentinel-incident-60-accounts.json");
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:MaxTargets"] = "59" });

        var result = await env.Pipeline.ProcessAsync(expected.ReadBody(), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);
        var response = await HttpCall.PostAsync(env, expected.ReadBody());

        Assert.Equal(ReasonCode.TooManyTargets, result.Error?.Reason);
        Assert.Equal(PayloadErrorKind.TooManyTargets, result.Error?.Kind);
        Assert.Equal(422, response.Status);
        Assert.Equal("urn:revokefunctions:problem:too-many-targets", response.Body.GetProperty("type").GetString());
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task With_a_cap_of_exactly_60_the_60_account_incident_is_revoked_whole()
    {
        var expected = FixtureCases.Get("edge/sentinel-incident-60-accounts.json");
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:MaxTargets"] = "60" });

        var result = await env.Pipeline.ProcessAsync(expected.ReadBody(), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);

        FixtureAssertions.Pipeline(expected, result, env.Sandbox);
    }

    [Fact]
    public async Task The_future_leaver_is_deferred_to_its_effective_date()
    {
        var expected = FixtureCases.Get("edge/hr-leaver-future-date.json");
        await using var env = await TestEnvironment.StartAsync();

        var result = await env.Pipeline.ProcessAsync(expected.ReadBody(), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);

        var target = Assert.Single(result.Targets);
        Assert.Equal(new DateTimeOffset(2099, 12, 31, 17, 0, 0, TimeSpan.Zero), target.NotBefore);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }
}
