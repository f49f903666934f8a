using System.Diagnostics;
using System.Net;
using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class FaultInjectionTests : IAsyncLifetime
{
    private SandboxSession sandbox = null!;

    public async Task InitializeAsync() => sandbox = await SandboxSession.StartAsync();

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task A_503_twice_then_success()
    {
        sandbox.Server.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503, Times = 2, RetryAfterSeconds = 2 });

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var failed = await sandbox.RevokeAsync(FixtureUsers.AliceId);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), failed.Headers.RetryAfter?.Delta);
            Assert.Equal("ServiceUnavailable", await SandboxSession.ReadGraphErrorAsync(failed));
            Assert.Equal(0, sandbox.Server.TotalRevocations);
        }

        using var succeeded = await sandbox.RevokeAsync(FixtureUsers.AliceId);
        Assert.Equal(HttpStatusCode.OK, succeeded.StatusCode);
        Assert.Equal(1, sandbox.Server.RevocationCount(FixtureUsers.AliceId));
        Assert.Equal([503, 503, 200], sandbox.Server.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task A_403_has_graphs_code_and_message_and_changes_nothing()
    {
        sandbox.Server.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 403 });

        using var response = await sandbox.RevokeAsync(FixtureUsers.AliceId);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = (await SandboxSession.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal("Authorization_RequestDenied", error.GetProperty("code").GetString());
        Assert.Equal("Insufficient privileges to complete the operation.", error.GetProperty("message").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), sandbox.Server.Tenant.FindById(FixtureUsers.AliceId)!.SignInSessionsValidFromDateTime);
        Assert.Equal(0, sandbox.Server.TotalRevocations);
    }

    [Fact]
    public async Task Faults_match_method_and_the_decoded_path_only()
    {
        sandbox.Server.Inject(new SandboxFault { Method = "GET", PathContains = "#ext#", StatusCode = 500, ErrorCode = "generalException" });

        using var guest = await sandbox.GetAsync("users/jo.smith_fabrikam.com%23EXT%23%40contoso.onmicrosoft.com");
        using var member = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");
        using var post = await sandbox.RevokeAsync(FixtureUsers.GuestJoUpn.Replace("#", "%23", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.InternalServerError, guest.StatusCode);
        Assert.Equal("generalException", await SandboxSession.ReadGraphErrorAsync(guest));
        Assert.Equal(HttpStatusCode.OK, member.StatusCode);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
    }

    [Fact]
    public async Task An_injected_429_defaults_retry_after_and_counts_as_throttled()
    {
        sandbox.Server.Inject(new SandboxFault { StatusCode = 429, Times = 1 });

        using var throttled = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");
        using var next = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal("TooManyRequests", await SandboxSession.ReadGraphErrorAsync(throttled));
        Assert.Equal(1, sandbox.Server.Throttled);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Clear_faults_stops_them()
    {
        sandbox.Server.Inject(new SandboxFault { StatusCode = 503 });
        sandbox.Server.ClearFaults();

        using var response = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_delay_fault_makes_the_client_time_out_and_is_recorded_as_abandoned()
    {
        sandbox.Server.Inject(new SandboxFault { PathContains = "/users/", Delay = TimeSpan.FromSeconds(30), StatusCode = 504, Times = 1 });
        using var impatient = new HttpClient { BaseAddress = sandbox.Client.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync(new Uri($"users/{FixtureUsers.AliceId}", UriKind.Relative)));

        var recorded = await WaitForAsync(() => sandbox.Server.Requests.SingleOrDefault());
        Assert.Equal(499, recorded.StatusCode);
    }

    [Fact]
    public async Task A_delay_only_fault_slows_the_request_then_handles_it()
    {
        sandbox.Server.Inject(new SandboxFault { Delay = TimeSpan.FromMilliseconds(150) });

        var watch = Stopwatch.StartNew();
        using var response = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(140), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Latency_is_added_to_every_request()
    {
        sandbox.Server.Options.Latency = TimeSpan.FromMilliseconds(500);

        var watch = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => sandbox.GetAsync($"users/{FixtureUsers.AliceId}")));

        // Awaited, not blocking: ten concurrent requests take about one latency, never the ten (5 s) that one at a time
        // would take; the wide margin keeps a busy machine from failing it.
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromMilliseconds(4000));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Theory]
    [InlineData(200, 1)]
    [InlineData(503, 0)]
    public void Faults_that_cannot_be_answered_are_refused(int status, int times)
    {
        Assert.ThrowsAny<ArgumentException>(() => sandbox.Server.Inject(new SandboxFault { StatusCode = status, Times = times }));
    }

    [Fact]
    public async Task Disposing_does_not_wait_for_a_long_injected_delay()
    {
        sandbox.Server.Inject(new SandboxFault { Delay = TimeSpan.FromSeconds(30), StatusCode = 503 });
        var pending = sandbox.GetAsync($"users/{FixtureUsers.AliceId}");
        await Task.Delay(100); // let the request reach the sandbox and start waiting

        var watch = Stopwatch.StartNew();
        await sandbox.Server.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {watch.Elapsed}");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => pending);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        // Generous: the server records the abort when it notices it, at the latest when the 30 s injected delay ends.
        while (deadline.Elapsed < TimeSpan.FromSeconds(45))
        {
            if (probe() is { } value)
                return value;
            await Task.Delay(20);
        }

        throw new TimeoutException("The condition was not met in time.");
    }
}
