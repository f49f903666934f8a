using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Requests;

/// <summary>The strict parser and the native format, over the shared fixtures and hand-made edge cases.</summary>
public sealed class NativePayloadParsingTests
{
    private static readonly PayloadParser Parser = BuildParser();

    private static PayloadParser BuildParser()
    {
        var services = new ServiceCollection();
        RevokeFunctions.Hosting.RevocationServiceCollectionExtensions.AddRevocationPipeline(
            services, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        return services.BuildServiceProvider().GetRequiredService<PayloadParser>();
    }

    private static PayloadParseResult ParseFixture(string file) =>
        Parser.Parse(File.ReadAllBytes(TestPaths.Fixture(file)), DateTimeOffset.UtcNow);

    private static PayloadParseResult Parse(string json) => Parser.Parse(Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow);

    [Theory]
    [InlineData("invalid/empty.json", PayloadErrorKind.EmptyBody)]
    [InlineData("invalid/not-json.txt", PayloadErrorKind.MalformedJson)]
    [InlineData("invalid/truncated.json", PayloadErrorKind.MalformedJson)]
    [InlineData("invalid/duplicate-keys.json", PayloadErrorKind.DuplicateProperty)]
    [InlineData("invalid/wrong-type.json", PayloadErrorKind.SchemaViolation)]
    [InlineData("invalid/missing-user.json", PayloadErrorKind.SchemaViolation)]
    [InlineData("invalid/oversized-user.json", PayloadErrorKind.InvalidUserIdentifier)]
    [InlineData("invalid/injection-user.json", PayloadErrorKind.InvalidUserIdentifier)]
    [InlineData("invalid/injection-user-odata.json", PayloadErrorKind.InvalidUserIdentifier)]
    [InlineData("invalid/control-characters.json", PayloadErrorKind.InvalidUserIdentifier)]
    public void Invalid_native_fixtures_are_refused_as_InvalidPayload_with_their_kind(string file, PayloadErrorKind kind)
    {
        var result = ParseFixture(file);
        Assert.False(result.Succeeded);
        Assert.Equal(ReasonCode.InvalidPayload, result.Error.Reason);
        Assert.Equal(kind, result.Error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Detail));
        Assert.True(result.Error.Detail.Length < 500, "the detail must not echo a large value");
    }

    [Fact]
    public void Unknown_shapes_are_UnknownSchema_and_are_not_mined_for_users()
    {
        var result = ParseFixture("invalid/unknown-schema.json");
        Assert.False(result.Succeeded);
        Assert.Equal(ReasonCode.UnknownSchema, result.Error.Reason);
    }

    [Fact]
    public void A_wrong_type_names_the_member_path()
    {
        var result = ParseFixture("invalid/wrong-type.json");
        Assert.Equal("$.user", result.Error!.Path);
        Assert.Contains("$.user", result.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_user_is_named_in_the_detail_and_requestedBy_is_never_a_fallback()
    {
        var result = ParseFixture("invalid/missing-user.json");
        Assert.Contains("user", result.Error!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"alice@contoso.com\"")]
    [InlineData("42")]
    public void Non_object_json_is_UnknownSchema(string json)
    {
        var result = Parse(json);
        Assert.Equal(ReasonCode.UnknownSchema, result.Error!.Reason);
    }

    [Theory]
    [InlineData("{\"user\": null}")]
    [InlineData("{\"user\": [\"alice@contoso.com\"]}")]
    [InlineData("{\"user\": \"alice@contoso.com\", \"requests\": []}")]
    [InlineData("{\"requests\": [null]}")]
    [InlineData("{\"requests\": {\"user\": \"alice@contoso.com\"}}")]
    public void Contradictory_or_mistyped_native_requests_are_schema_violations(string json)
    {
        var result = Parse(json);
        Assert.Equal(PayloadErrorKind.SchemaViolation, result.Error!.Kind);
    }

    [Fact]
    public void Comments_trailing_commas_and_deep_nesting_are_malformed()
    {
        Assert.Equal(PayloadErrorKind.MalformedJson, Parse("{\"user\": \"alice@contoso.com\" /* x */}").Error!.Kind);
        Assert.Equal(PayloadErrorKind.MalformedJson, Parse("{\"user\": \"alice@contoso.com\",}").Error!.Kind);
        var deep = new string('[', 100) + new string(']', 100);
        Assert.Equal(PayloadErrorKind.MalformedJson, Parse("{\"user\":" + deep + "}").Error!.Kind);
    }

    [Fact]
    public void Invalid_utf8_is_malformed()
    {
        byte[] body = [.. "{\"user\": \"alice"u8, 0xC3, 0x28, .. "@contoso.com\"}"u8];
        Assert.Equal(PayloadErrorKind.MalformedJson, Parser.Parse(body, DateTimeOffset.UtcNow).Error!.Kind);
    }

    [Fact]
    public void The_list_form_yields_each_request_in_order_with_its_own_reason()
    {
        var result = ParseFixture("valid/plain-request-list.json");
        Assert.True(result.Succeeded);
        Assert.Equal(["bob.kowalski@contoso.com", "116a95ee-17a5-4212-b196-9855ce37f47f"], result.Payload.Targets.Select(t => t.Given));
        Assert.All(result.Payload.Targets, t => Assert.Equal("tessa.morgan@contoso.com", t.RequestedByNote));
        Assert.Equal("native", result.Payload.Source.Kind);
    }

    [Fact]
    public void Repeats_of_one_identifier_collapse_to_one_target()
    {
        var result = Parse("{\"requests\":[{\"user\":\"E322F459-1F7E-41E3-B903-5CEB208D9205\"},{\"user\":\"{e322f459-1f7e-41e3-b903-5ceb208d9205}\"}]}");
        Assert.Single(result.Payload!.Targets);
    }

    [Fact]
    public void Ad_hoc_requests_take_the_arrival_time_as_event_time()
    {
        var arrival = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        var result = Parser.Parse(File.ReadAllBytes(TestPaths.Fixture("valid/plain-request-upn.json")), arrival);
        Assert.Equal(arrival, Assert.Single(result.Payload!.Targets).EventTime);
    }
}
