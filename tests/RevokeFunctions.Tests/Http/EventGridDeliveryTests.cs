using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.App.Http;
using RevokeFunctions.Tests.Formats;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Http;

/// <summary>
/// Event Grid pointed at the HTTP endpoint: the CloudEvents validation handshake, then batched delivery
/// (<c>application/cloudevents-batch+json</c>), each event answered as its own request, through the app's real
/// composition against the Graph sandbox with the ledger on Azurite.
/// </summary>
public sealed class EventGridDeliveryTests
{
    private const string BatchType = "application/cloudevents-batch+json; charset=utf-8";
    private const string Nadia = "4aae69d9-7d36-4ac0-bb98-71dc9cc8c8fc";
    private const string Sofia = "60921093-4357-41d1-b73a-4b2488b19bee";

    private static JsonArray Batch() => SampleFiles.Load("eventgrid-cloudevents-batch.json").AsArray();

    private static async Task<HttpResponse> OptionsAsync(TestEnvironment env, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext { RequestServices = env.Services };
        context.Request.Method = "OPTIONS";
        context.Request.Path = "/api/revocations";
        foreach (var (name, value) in headers)
            context.Request.Headers[name] = value;
        var function = ActivatorUtilities.CreateInstance<WebHookValidationFunction>(env.Services);
        var result = function.Run(context.Request);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return context.Response;
    }

    [Fact]
    public async Task The_handshake_consents_to_Event_Grid_without_any_principal_and_grants_a_rate_when_asked()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await OptionsAsync(env, ("WebHook-Request-Origin", "eventgrid.azure.net"), ("WebHook-Request-Rate", "600"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("eventgrid.azure.net", response.Headers["WebHook-Allowed-Origin"].ToString());
        Assert.Equal("120", response.Headers["WebHook-Allowed-Rate"].ToString());
        Assert.Contains("POST", response.Headers.Allow.ToString(), StringComparison.Ordinal);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task Without_a_requested_rate_no_rate_is_answered()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await OptionsAsync(env, ("WebHook-Request-Origin", "EventGrid.Azure.Net"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("EventGrid.Azure.Net", response.Headers["WebHook-Allowed-Origin"].ToString());
        Assert.False(response.Headers.ContainsKey("WebHook-Allowed-Rate"));
    }

    [Theory]
    [InlineData("eventemitter.example.com", 403)]
    [InlineData("evil.example.com\r\nX-Injected: 1", 400)]
    [InlineData("*", 400)]
    public async Task Other_or_malformed_origins_get_no_consent(string origin, int status)
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await OptionsAsync(env, ("WebHook-Request-Origin", origin));

        Assert.Equal(status, response.StatusCode);
        Assert.False(response.Headers.ContainsKey("WebHook-Allowed-Origin"));
    }

    [Fact]
    public async Task An_operator_may_allow_another_origin()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["WebHook:AllowedOrigins:0"] = "events.contoso.com" });

        var response = await OptionsAsync(env, ("WebHook-Request-Origin", "events.contoso.com"));

        Assert.Equal("events.contoso.com", response.Headers["WebHook-Allowed-Origin"].ToString());
    }

    [Fact]
    public async Task An_OPTIONS_request_that_is_no_handshake_gets_no_consent()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await OptionsAsync(env);

        Assert.Equal(204, response.StatusCode);
        Assert.False(response.Headers.ContainsKey("WebHook-Allowed-Origin"));
    }

    [Fact]
    public async Task A_batch_is_one_request_per_event_each_with_its_own_outcome_and_ledger_rows()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, Batch().ToJsonString(), BatchType);

        Assert.Equal(200, response.Status);
        var events = response.Body.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(["6f0b1d9e-2c4a-4e8f-b1d3-7a9c5e0f2b46", "a3e5c7f9-1b2d-4f6a-8c0e-9d1b3f5a7c28"], events.Select(e => e.GetProperty("eventId").GetString()));
        Assert.Equal([Nadia, FixtureUsers.Alice], events.Select(e => Assert.Single(e.GetProperty("results").EnumerateArray()).GetProperty("userId").GetString()));
        var requestIds = events.Select(e => e.GetProperty("requestId").GetString()!).ToList();
        Assert.Equal(2, requestIds.Distinct().Count());
        Assert.DoesNotContain(response.Body.GetProperty("requestId").GetString(), requestIds);
        foreach (var requestId in requestIds)
            Assert.Single(await env.Ledger.ListAsync(requestId, CancellationToken.None));
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        Assert.Equal(2, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_redelivered_batch_revokes_nobody_twice()
    {
        await using var env = await TestEnvironment.StartAsync();
        var body = Batch().ToJsonString();

        await HttpCall.PostAsync(env, body, BatchType);
        var again = await HttpCall.PostAsync(env, body, BatchType);

        Assert.Equal(200, again.Status);
        Assert.All(again.Body.GetProperty("events").EnumerateArray(),
            e => Assert.Contains(Assert.Single(e.GetProperty("results").EnumerateArray()).GetProperty("outcome").GetString(), new[] { "Revoked", "AlreadyRevoked" }));
        Assert.Equal(2, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_batch_with_refused_events_is_400_for_Event_Grid_while_its_good_events_are_revoked()
    {
        await using var env = await TestEnvironment.StartAsync();
        var batch = Batch();
        batch[0]!["data"]!["riskState"] = "remediated";
        batch[0]!["data"]!["id"] = Sofia;
        batch.Add(new JsonObject { ["user"] = "bob.kowalski@contoso.com" });
        var broken = Batch()[1]!.DeepClone();
        broken["id"] = "b0b0b0b0-0000-4000-8000-000000000004";
        broken["data"]!["userId"] = "carmen.ruiz";
        batch.Add(broken);

        var response = await HttpCall.PostAsync(env, batch.ToJsonString(), BatchType);

        Assert.Equal(400, response.Status);
        var events = response.Body.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal([422, 200, 422, 422], events.Select(e => e.GetProperty("status").GetInt32()));
        Assert.Equal("RiskNotActive", events[0].GetProperty("reasonCode").GetString());
        Assert.Equal("$[2]", events[2].GetProperty("path").GetString());
        Assert.Equal("urn:revokefunctions:problem:invalid-user-identifier", events[3].GetProperty("type").GetString());
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        Assert.Equal(0, env.Sandbox.RevocationCount(Sofia));
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Bob));
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Carmen));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_batch_over_the_event_limit_is_refused_whole_with_413_and_revokes_nobody()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Limits:MaxBatchEvents"] = "1" });

        var response = await HttpCall.PostAsync(env, Batch().ToJsonString(), BatchType);

        Assert.Equal(413, response.Status);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task A_batch_body_is_not_read_before_the_caller_is_known()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsAsync(env, principal: null, Encoding.UTF8.GetBytes(Batch().ToJsonString()), BatchType);

        Assert.Equal(401, response.Status);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_JSON_array_sent_as_plain_JSON_is_still_refused_as_an_unknown_shape()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, Batch().ToJsonString());

        Assert.Equal(422, response.Status);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }
}
