using System.Text.Json;
using System.Text.Json.Serialization;

namespace RevokeFunctions.Cli.Smoke;

/// <summary>One check of <c>revoke smoke</c>: what it proved or, when it failed, what to fix.</summary>
/// <param name="Check">What was checked, e.g. <c>dry run over HTTP</c>.</param>
/// <param name="Fix">When failed: what the operator does about it.</param>
public sealed record SmokeCheck(string Check, bool Passed, string Detail, string? Fix = null)
{
    public static SmokeCheck Pass(string check, string detail) => new(check, true, detail);

    public static SmokeCheck Fail(string check, string detail, string fix) => new(check, false, detail, fix);
}

/// <summary>Where the smoke test is: the step, and for the dead-letter wait how much of it has passed.</summary>
public readonly record struct SmokeProgress(string Step, double Done, double Total);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SmokeCheck))]
internal sealed partial class SmokeJsonContext : JsonSerializerContext;
