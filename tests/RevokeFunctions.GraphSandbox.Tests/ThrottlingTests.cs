using System.Net;
using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class ThrottlingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset FixtureValidFrom = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private SandboxSession sandbox = null!;

    public async Task InitializeAsync() => sandbox = await SandboxSession.StartAsync();

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task A_burst_of_writes_beyond_the_limit_gets_429s_that_change_nothing()
    {
        sandbox.Server.Options.WriteLimitPerSecond = 5;
        var ids = sandbox.Server.Tenant.Users.Take(20).Select(u => u.Id).ToArray();

        var responses = await Task.WhenAll(ids.Select(sandbox.RevokeAsync));

        var throttled = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        var succeeded = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToArray();
        Assert.Equal(ids.Length, throttled.Length + succeeded.Length);
        Assert.InRange(succeeded.Length, 5, 10); // exactly 5 unless the burst outlives the one-second window
        Assert.All(throttled, r => Assert.InRange(r.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        foreach (var response in throttled)
            Assert.Equal("TooManyRequests", await SandboxSession.ReadGraphErrorAsync(response));

        Assert.Equal(throttled.Length, sandbox.Server.Throttled);
        Assert.Equal(succeeded.Length, sandbox.Server.TotalRevocations);
        var unchanged = sandbox.Server.Tenant.Users.Count(u => ids.Contains(u.Id) && u.SignInSessionsValidFromDateTime == FixtureValidFrom);
        Assert.Equal(throttled.Length, unchanged);
        foreach (var response in responses)
            response.Dispose();
    }

    [Fact]
    public async Task The_window_frees_after_retry_after_and_time_scale_shrinks_it()
    {
        sandbox.Server.Options.WriteLimitPerSecond = 1;
        sandbox.Server.Options.TimeScale = 0.5; // a 500 ms window

        using var first = await sandbox.RevokeAsync(FixtureUsers.AliceId);
        using var second = await sandbox.RevokeAsync(FixtureUsers.AliceId);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter?.Delta);
        var exactWait = int.Parse(SandboxSession.Header(second, "retry-after-ms")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(exactWait, 1, 500);

        await Task.Delay(exactWait + 50);
        using var third = await sandbox.RevokeAsync(FixtureUsers.AliceId);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(2, sandbox.Server.RevocationCount(FixtureUsers.AliceId));
    }

    [Fact]
    public async Task Reads_do_not_count_against_the_write_limit()
    {
        sandbox.Server.Options.WriteLimitPerSecond = 0;

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => sandbox.GetAsync($"users/{FixtureUsers.AliceId}")));
        using var write = await sandbox.RevokeAsync(FixtureUsers.AliceId);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, write.StatusCode);
    }

    [Fact]
    public async Task Resource_units_cost_one_per_get_and_two_per_list()
    {
        sandbox.Server.Options.ResourceUnitsPer10Seconds = 3;

        using var get = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");
        using var list = await sandbox.GetAsync("users?$filter=mail eq 'alice@contoso.com'");
        using var over = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.InRange(over.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10));
        Assert.Equal(1, sandbox.Server.Throttled);

        sandbox.Server.ResetRecording();
        using var afterReset = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
    }
}
