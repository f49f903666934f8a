using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Fixtures;
using RevokeFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RevokeFunctions.Tests.Guards;

/// <summary>
/// Every shared fixture, mutated at random with a fixed seed (byte flips, truncation, control characters, duplicate
/// keys, deep nesting, oversized strings, swapped identifiers, ...), through the parser (thousands of cases) and the
/// HTTP function against one shared sandbox (a sample): nothing throws, every input ends in a typed outcome or problem
/// details, and nobody is revoked whom the input did not name. A failure prints the seed and case to replay.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const int Seed = 7_2026;
    private const int ParserCases = 6_000;
    private const int HttpCases = 240;

    private static readonly Lazy<IReadOnlyList<(string Name, byte[] Body)>> Fixtures = new(() =>
        [.. FixtureCases.Files().Select(f => (f, File.ReadAllBytes(TestPaths.Fixture(f))))]);

    /// <summary>The parser as the app composes it (every format, default limits); the fast path needs no sandbox.</summary>
    private static readonly Lazy<PayloadParser> Parser = new(() =>
    {
        var services = new ServiceCollection();
        services.AddOptions<PayloadLimits>();
        services.AddPayloadFormats();
        return services.BuildServiceProvider().GetRequiredService<PayloadParser>();
    });

    private static readonly Lazy<SandboxTenant> Tenant = new(() => SandboxTenant.Load(TestPaths.TenantFile));

    /// <summary>Per fixture user: object ID, UPN, mail, employee ID (empty when absent), the identifiers to swap.</summary>
    private static IReadOnlyList<string[]> IdentitySets() =>
        [.. Tenant.Value.Users.Select(u => new[] { u.Id, u.UserPrincipalName, u.Mail ?? "", u.EmployeeId ?? "" })];

    private static int[] HttpStatuses => [200, 202, 207, 400, 401, 403, 404, 413, 415, 422, 429, 502, 503];

    [Fact]
    public void The_parser_survives_mutated_fixtures_and_only_ever_targets_users_the_input_names()
    {
        var parser = Parser.Value;
        var mutator = new FixtureMutator(new Random(Seed), IdentitySets());
        var receivedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var failures = new List<string>();
        var parsed = 0;
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < ParserCases && failures.Count < 10; i++)
        {
            var (name, fixture) = Fixtures.Value[i % Fixtures.Value.Count];
            var (body, applied) = mutator.Mutate(fixture);
            var label = $"seed {Seed} case {i}: {name} with {applied}";
            try
            {
                var result = parser.Parse(body, receivedAt);
                if (result.Succeeded)
                {
                    parsed++;
                    CheckParsed(result.Payload, body, label, failures);
                }
                else
                {
                    CheckError(result.Error, label, failures);
                }
            }
            catch (Exception ex)
            {
                failures.Add($"{label}: {ex.GetType().Name} escaped: {ex.Message}");
            }
        }

        output.WriteLine($"{ParserCases} parser cases in {watch.ElapsedMilliseconds} ms; {parsed} parsed to targets.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(parsed > ParserCases / 20, $"only {parsed} cases parsed: the mutations are too destructive to test the 'names' rule");
    }

    [Fact]
    public async Task The_HTTP_function_answers_every_mutated_fixture_typed_and_revokes_only_named_users()
    {
        // One sandbox for all cases (ResetRecording between them) keeps thousands of Graph calls fast.
        await using var env = await TestEnvironment.StartAsync();
        var mutator = new FixtureMutator(new Random(Seed + 1), IdentitySets());
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < HttpCases && failures.Count < 10; i++)
        {
            var (name, fixture) = Fixtures.Value[i % Fixtures.Value.Count];
            var (body, applied) = mutator.Mutate(fixture);
            var label = $"seed {Seed + 1} case {i}: {name} with {applied}";
            env.Sandbox.ResetRecording();
            try
            {
                var response = await HttpCall.PostAsync(env, body);
                statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
                CheckHttp(response, label, failures);
                CheckRevokedWereNamed(env.Sandbox, body, label, failures);
            }
            catch (Exception ex)
            {
                failures.Add($"{label}: {ex.GetType().Name} escaped: {ex.Message}");
            }
        }

        output.WriteLine($"{HttpCases} HTTP cases in {watch.ElapsedMilliseconds} ms: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Contains(statuses.Keys, s => s is 200 or 207);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udfff")]
    [InlineData("\\u0000")]
    [InlineData("\\u202e")]
    public void Every_string_of_every_fixture_with_a_hostile_escape_is_refused_or_parsed_never_thrown(string escape)
    {
        var parser = Parser.Value;
        var failures = new List<string>();
        var inserted = Encoding.UTF8.GetBytes(escape);

        foreach (var (name, fixture) in Fixtures.Value)
        {
            var reader = new Utf8JsonReader(fixture);
            var starts = new List<int>();
            try
            {
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.String)
                        starts.Add((int)reader.TokenStartIndex + 1);
                }
            }
            catch (JsonException)
            {
                // The invalid fixtures: their strings up to the fault are still worth a try.
            }
            foreach (var at in starts)
            {
                byte[] body = [.. fixture[..at], .. inserted, .. fixture[at..]];
                try
                {
                    var result = parser.Parse(body, DateTimeOffset.UtcNow);
                    if (result.Succeeded)
                        CheckParsed(result.Payload, body, $"{name} with {escape} at byte {at}", failures);
                }
                catch (Exception ex)
                {
                    failures.Add($"{name} with {escape} at byte {at}: {ex.GetType().Name} escaped: {ex.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    private static void CheckParsed(ParsedPayload payload, byte[] body, string label, List<string> failures)
    {
        if (payload.Targets.Count == 0)
            failures.Add($"{label}: parsed with no target");
        var input = new NamedInInput(body);
        foreach (var target in payload.Targets)
        {
            foreach (var identifier in target.Identifiers)
            {
                var named = identifier.Kind == UserIdentifierKind.EmployeeId ? input.HasValue(identifier.Value) : input.Names(identifier.Value);
                if (!named)
                    failures.Add($"{label}: target identifier {identifier} is not named in the input");
            }
        }
    }

    private static void CheckError(PayloadError error, string label, List<string> failures)
    {
        if (!Enum.IsDefined(error.Reason) || !Enum.IsDefined(error.Kind))
            failures.Add($"{label}: untyped error {error.Reason}/{error.Kind}");
        if (string.IsNullOrWhiteSpace(error.Detail) || error.Detail.Length > 1_000)
            failures.Add($"{label}: detail missing or echoing too much ({error.Detail?.Length} chars)");
    }

    private static void CheckHttp(HttpCall.Response response, string label, List<string> failures)
    {
        if (!HttpStatuses.Contains(response.Status))
        {
            failures.Add($"{label}: unexpected status {response.Status}");
            return;
        }
        var body = response.Body;
        if (response.Status is 200 or 202 or 207)
        {
            if (!response.ContentType.StartsWith("application/json", StringComparison.Ordinal)
                || !body.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                failures.Add($"{label}: {response.Status} without a results list");
                return;
            }
            foreach (var result in results.EnumerateArray())
            {
                if (!Enum.TryParse<Outcome>(result.GetProperty("outcome").GetString(), out _))
                    failures.Add($"{label}: untyped outcome {result.GetProperty("outcome")}");
            }
            return;
        }
        if (response.ContentType != "application/problem+json"
            || body.GetProperty("status").GetInt32() != response.Status
            || body.GetProperty("type").GetString()?.StartsWith("urn:revokefunctions:problem:", StringComparison.Ordinal) != true
            || string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()))
        {
            failures.Add($"{label}: {response.Status} is not problem details: {body}");
        }
    }

    private static void CheckRevokedWereNamed(GraphSandboxServer sandbox, byte[] body, string label, List<string> failures)
    {
        var revoked = sandbox.Requests
            .Where(r => r.Method == "POST" && r.StatusCode is >= 200 and < 300 && r.Path.EndsWith("/revokeSignInSessions", StringComparison.Ordinal))
            .Select(r => r.Path.Split('/')[^2])
            .ToList();
        if (revoked.Count == 0)
            return;
        var input = new NamedInInput(body);
        foreach (var id in revoked)
        {
            var user = sandbox.Tenant.FindById(id);
            if (user is null || !(input.Names(user.Id) || input.Names(user.UserPrincipalName) || input.Names(user.Mail) || input.HasValue(user.EmployeeId)))
                failures.Add($"{label}: revoked {id} ({user?.UserPrincipalName}), whom the input does not name: {Preview(body)}");
        }
    }

    private static string Preview(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
