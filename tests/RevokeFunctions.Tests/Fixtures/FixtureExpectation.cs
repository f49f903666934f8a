using System.Text.Json;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Fixtures;

/// <summary>One line of ../shared/fixtures/expectations.json: what the app must do with one fixture file.</summary>
/// <param name="File">Relative to the fixtures folder, e.g. <c>valid/sentinel-incident.json</c>.</param>
/// <param name="PayloadOutcome"><c>Accepted</c> or <c>Invalid</c>.</param>
/// <param name="PayloadReason">For Invalid: <c>InvalidPayload</c> or <c>UnknownSchema</c>.</param>
/// <param name="DetailKind">For Invalid: the README's detail kind (<c>malformed-json</c>, <c>no-target-user</c>, ...).</param>
public sealed record FixtureExpectation(
    string File,
    string PayloadOutcome,
    string? PayloadReason,
    string? DetailKind,
    IReadOnlyList<ExpectedTarget> Targets,
    IReadOnlyList<string> MustNotRevoke)
{
    public bool IsInvalid => PayloadOutcome == "Invalid";

    public byte[] ReadBody() => System.IO.File.ReadAllBytes(TestPaths.Fixture(File));

    public override string ToString() => File;

    public static IReadOnlyDictionary<string, FixtureExpectation> LoadAll()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(TestPaths.Fixture("expectations.json")));
        var all = new Dictionary<string, FixtureExpectation>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.GetProperty("fixtures").EnumerateArray())
        {
            var payload = entry.GetProperty("payload");
            var expectation = new FixtureExpectation(
                entry.GetProperty("file").GetString()!,
                payload.GetProperty("outcome").GetString()!,
                payload.GetProperty("reason").GetString(),
                payload.GetProperty("detailKind").GetString(),
                [.. entry.GetProperty("targets").EnumerateArray().Select(t => new ExpectedTarget(
                    t.GetProperty("objectId").GetString()!,
                    t.GetProperty("userPrincipalName").GetString()!,
                    t.GetProperty("outcome").GetString()!,
                    t.GetProperty("reason").GetString()))],
                [.. entry.GetProperty("mustNotRevoke").EnumerateArray().Select(u => u.GetProperty("objectId").GetString()!)]);
            all.Add(expectation.File, expectation);
        }
        return all;
    }
}

/// <summary>One user the fixture must end in the stated outcome (and reason, when one is stated).</summary>
public sealed record ExpectedTarget(string ObjectId, string UserPrincipalName, string Outcome, string? Reason);
