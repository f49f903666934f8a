using System.Diagnostics.Metrics;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Telemetry;

/// <summary>
/// The app's metrics, on one <see cref="Meter"/> that OpenTelemetry exports to Application Insights
/// (<c>customMetrics</c>): revocations by outcome and source, dead letters by code, Graph latency and throttling,
/// storm-guard trips.
/// </summary>
public sealed class RevocationMetrics : IDisposable
{
    public const string MeterName = "RevokeFunctions";

    private readonly Meter meter;
    private readonly Counter<long> outcomes;
    private readonly Counter<long> deadLetters;
    private readonly Histogram<double> graphLatency;
    private readonly Counter<long> graphThrottled;
    private readonly Counter<long> stormGuardTrips;
    private readonly Counter<long> settlementFailures;
    private readonly Counter<long> verifications;

    public RevocationMetrics(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(MeterName);
        outcomes = meter.CreateCounter<long>("revocations.outcomes", "{target}", "Targets decided, by outcome, reason and source.");
        deadLetters = meter.CreateCounter<long>("revocations.dead_letters", "{message}", "Messages dead-lettered, by reason code.");
        graphLatency = meter.CreateHistogram<double>("graph.request.duration", "ms", "Duration of Microsoft Graph calls, SDK retries included.");
        graphThrottled = meter.CreateCounter<long>("graph.throttled", "{response}", "Graph calls that ended throttled (429) after the SDK's retries.");
        stormGuardTrips = meter.CreateCounter<long>("revocations.storm_guard_trips", "{trip}", "Times the storm guard started refusing automated targets.");
        settlementFailures = meter.CreateCounter<long>("revocations.settlement_failures", "{call}",
            "Queue settlement calls (complete, dead-letter, abandon) that threw; Service Bus delivers those messages again.");
        verifications = meter.CreateCounter<long>("revocations.verifications", "{target}",
            "Revocations proven by reading Graph's timestamp back, by result: Verified, Unverified (never moved within the bound), NotScheduled.");
    }

    public void Outcome(Outcome outcome, ReasonCode? reason, string source) =>
        outcomes.Add(1, new("outcome", outcome.ToString()), new("reason", reason?.ToString() ?? "none"), new("source", source));

    public void DeadLettered(string reasonCode) => deadLetters.Add(1, new KeyValuePair<string, object?>("reason", reasonCode));

    public void GraphCall(string operation, TimeSpan duration, int? status) =>
        graphLatency.Record(duration.TotalMilliseconds, new("operation", operation), new("status", status ?? 0));

    public void GraphThrottled(string operation) => graphThrottled.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void StormGuardTripped(string source) => stormGuardTrips.Add(1, new KeyValuePair<string, object?>("source", source));

    public void SettlementFailed(string settlement) => settlementFailures.Add(1, new KeyValuePair<string, object?>("settlement", settlement));

    public void Verification(Verification.VerificationState result, string source) =>
        verifications.Add(1, new("result", result.ToString()), new("source", source));

    public void Dispose() => meter.Dispose();
}
