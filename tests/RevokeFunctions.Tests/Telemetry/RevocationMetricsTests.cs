using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Telemetry;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Telemetry;

/// <summary>The pipeline's metrics, read with a <see cref="MeterListener"/> on this environment's own meter.</summary>
public sealed class RevocationMetricsTests
{
    [Fact]
    public async Task Outcomes_Graph_latency_and_throttling_are_measured_by_outcome_source_and_operation()
    {
        await using var env = await TestEnvironment.StartAsync();
        var factory = env.Services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RevocationMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                    l.EnableMeasurementEvents(instrument);
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (measurements)
                measurements.Add((instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 429, RetryAfterSeconds = 0 });

        await env.Pipeline.ProcessAsync(Encoding.UTF8.GetBytes("""{"requests":[{"user":"alice@contoso.com"},{"user":"nobody@contoso.com"}]}"""),
            TestEnvironment.Context(), CancellationToken.None);

        Assert.Contains(measurements, m => m.Instrument == "revocations.outcomes" && (string?)m.Tags["outcome"] == "Failed"
            && (string?)m.Tags["reason"] == "GraphUnavailable" && (string?)m.Tags["source"] == "native");
        Assert.Contains(measurements, m => m.Instrument == "revocations.outcomes" && (string?)m.Tags["outcome"] == "NotFound");
        Assert.Contains(measurements, m => m.Instrument == "graph.request.duration" && (string?)m.Tags["operation"] == "resolveUser");
        Assert.Contains(measurements, m => m.Instrument == "graph.throttled" && (string?)m.Tags["operation"] == "revokeSignInSessions");
    }
}
