using System.Text.Json;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Tests.Fixtures;

/// <summary>
/// Checks one trigger's answer to a fixture against expectations.json and the sandbox's record of what Graph saw.
/// The HTTP statuses are the fixtures README's table (detail kind → status) and the HTTP contract (all done → 200,
/// something deferred → 202, every target failing alike → that reason's problem status, mixed → 207).
/// </summary>
public static class FixtureAssertions
{
    public static PayloadErrorKind ErrorKind(string detailKind) => detailKind switch
    {
        "empty-body" => PayloadErrorKind.EmptyBody,
        "malformed-json" => PayloadErrorKind.MalformedJson,
        "duplicate-property" => PayloadErrorKind.DuplicateProperty,
        "unknown-schema" => PayloadErrorKind.UnknownSchema,
        "schema-violation" => PayloadErrorKind.SchemaViolation,
        "no-target-user" => PayloadErrorKind.NoTargetUser,
        "invalid-user-identifier" => PayloadErrorKind.InvalidUserIdentifier,
        _ => throw new ArgumentOutOfRangeException(nameof(detailKind), detailKind, "Not a detail kind of the fixtures README."),
    };

    public static int HttpStatus(FixtureExpectation expected)
    {
        if (expected.IsInvalid)
            return expected.DetailKind is "empty-body" or "malformed-json" or "duplicate-property" ? 400 : 422;

        var failing = expected.Targets.Where(t => t.Outcome is not ("Revoked" or "AlreadyRevoked" or "Deferred")).ToList();
        if (failing.Count == 0)
            return expected.Targets.Any(t => t.Outcome == "Deferred") ? 202 : 200;
        if (failing.Count == expected.Targets.Count && failing.All(t => t.Reason == failing[0].Reason))
        {
            return failing[0].Reason switch
            {
                "UserNotFound" or "AmbiguousUser" => 404,
                "GuestUser" => 422,
                "ProtectedAccount" => 403,
                "StormGuard" => 429,
                var reason => throw new InvalidOperationException($"No HTTP status is known for {reason}."),
            };
        }
        return 207;
    }

    /// <summary>The pipeline's result, target by target, plus what the sandbox saw.</summary>
    public static void Pipeline(FixtureExpectation expected, RevocationResult result, GraphSandboxServer sandbox)
    {
        if (expected.IsInvalid)
        {
            Assert.NotNull(result.Error);
            Assert.Equal(expected.PayloadReason, result.Error.Reason.ToString());
            Assert.Equal(ErrorKind(expected.DetailKind!), result.Error.Kind);
            Assert.False(string.IsNullOrWhiteSpace(result.Error.Detail));
            Assert.True(result.Error.Detail.Length < 500, "the detail must not echo a large value");
            Assert.Empty(result.Targets);
        }
        else
        {
            Assert.Null(result.Error);
            Assert.Equal(expected.Targets.Count, result.Targets.Count);
            foreach (var target in expected.Targets)
            {
                var actual = Assert.Single(result.Targets, t => t.UserId == target.ObjectId);
                Assert.Equal(target.Outcome, actual.Outcome.ToString());
                AssertReason(target, actual.Outcome.ToString(), actual.Reason?.ToString());
                if (actual.Outcome == Outcome.Deferred)
                    Assert.NotNull(actual.NotBefore);
            }
        }
        Sandbox(expected, sandbox);
    }

    /// <summary>The HTTP function's answer: status, content type, problem type or per-target results.</summary>
    public static void Http(FixtureExpectation expected, int status, string contentType, JsonElement body, GraphSandboxServer sandbox)
    {
        Assert.Equal(HttpStatus(expected), status);
        if (expected.IsInvalid)
        {
            Assert.Equal("application/problem+json", contentType);
            Assert.Equal("urn:revokefunctions:problem:" + expected.DetailKind, body.GetProperty("type").GetString());
            Assert.Equal(expected.PayloadReason, body.GetProperty("reasonCode").GetString());
            Assert.Equal(status, body.GetProperty("status").GetInt32());
        }
        else
        {
            var results = body.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(expected.Targets.Count, results.Count);
            foreach (var target in expected.Targets)
            {
                var actual = Assert.Single(results, r => r.GetProperty("userId").GetString() == target.ObjectId);
                var outcome = actual.GetProperty("outcome").GetString()!;
                Assert.Equal(target.Outcome, outcome);
                AssertReason(target, outcome, actual.GetProperty("reason").GetString());
            }
        }
        Sandbox(expected, sandbox);
    }

    /// <summary>Revoked users exactly once, nobody else ever; an invalid payload sends Graph nothing at all.</summary>
    public static void Sandbox(FixtureExpectation expected, GraphSandboxServer sandbox)
    {
        var revoked = expected.Targets.Where(t => t.Outcome == "Revoked").Select(t => t.ObjectId).ToList();
        foreach (var userId in revoked)
            Assert.Equal(1, sandbox.RevocationCount(userId));
        foreach (var target in expected.Targets.Where(t => t.Outcome != "Revoked"))
            Assert.Equal(0, sandbox.RevocationCount(target.ObjectId));
        foreach (var userId in expected.MustNotRevoke)
            Assert.Equal(0, sandbox.RevocationCount(userId));
        Assert.Equal(revoked.Count, sandbox.TotalRevocations);
        if (expected.IsInvalid)
            Assert.Empty(sandbox.Requests);
    }

    /// <summary>
    /// A stated reason must match. Where expectations.json states none, none is given, except that a deferred target
    /// carries <c>NotYetEffective</c> (the app names why it is deferred).
    /// </summary>
    private static void AssertReason(ExpectedTarget target, string outcome, string? reason)
    {
        if (target.Reason is not null)
            Assert.Equal(target.Reason, reason);
        else if (outcome == nameof(Outcome.Deferred))
            Assert.Equal(nameof(ReasonCode.NotYetEffective), reason);
        else
            Assert.Null(reason);
    }
}
