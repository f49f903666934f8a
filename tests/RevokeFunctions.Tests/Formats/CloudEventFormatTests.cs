using System.Text;
using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Tests.Formats;

/// <summary>CloudEvents 1.0 structured JSON around any other format, held to the JSON event format spec.</summary>
public sealed class CloudEventFormatTests
{
    private const string Hannah = "cdef5eb6-5d43-45e1-9120-d4b615858b61";

    private static JsonObject Event(JsonNode? data = null)
    {
        var cloudEvent = FormatParsing.Load("valid/cloudevent-risk-detection.json");
        if (data is not null)
            cloudEvent["data"] = data;
        return cloudEvent;
    }

    private static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void The_wrapped_risk_detection_is_read_and_type_source_id_are_the_source_reference()
    {
        var parsed = FormatParsing.Fixture("valid/cloudevent-risk-detection.json").Parsed();

        Assert.Equal(CloudEventFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal("23a4ef96-3ba8-4c64-93a6-5c2712d58424", parsed.Source.Id);
        Assert.Equal("/contoso/soar/identity-protection-forwarder", parsed.Source.Url);
        Assert.Equal("com.contoso.identityprotection.riskdetection", parsed.Source.Title);
        Assert.Equal("medium", parsed.Source.Severity);
        var target = Assert.Single(parsed.Targets);
        Assert.Equal("ObjectId:" + Hannah, target.Primary.ToString());
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T10:09:44.33Z", System.Globalization.CultureInfo.InvariantCulture), target.EventTime);
    }

    [Fact]
    public void A_missing_specversion_is_a_schema_violation_naming_it_and_the_data_is_not_read()
    {
        var error = FormatParsing.Fixture("invalid/cloudevent-missing-specversion.json").Refused(PayloadErrorKind.SchemaViolation);

        Assert.Equal(ReasonCode.InvalidPayload, error.Reason);
        Assert.Equal("$.specversion", error.Path);
        Assert.Contains("specversion", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("specversion", "\"0.3\"", "$.specversion")]
    [InlineData("specversion", "1.0", "$.specversion")]
    [InlineData("id", "42", "$.id")]
    [InlineData("id", "\"\"", "$.id")]
    [InlineData("source", "null", "$.source")]
    [InlineData("type", "[\"a\"]", "$.type")]
    public void Required_attributes_must_be_present_non_empty_strings(string attribute, string json, string path)
    {
        var cloudEvent = Event();
        cloudEvent[attribute] = JsonNode.Parse(json);

        Assert.Equal(path, FormatParsing.Node(cloudEvent).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Theory]
    [InlineData("time", "\"2026-11-24T10:09:51\"")]
    [InlineData("subject", "5")]
    [InlineData("Severity", "\"high\"")]
    [InlineData("dataschema", "\"not a uri ::\"")]
    [InlineData("data_base64", "\"e30=\"")]
    public void Other_spec_violations_are_refused_by_the_SDK(string attribute, string json)
    {
        var cloudEvent = Event();
        cloudEvent[attribute] = JsonNode.Parse(json);

        FormatParsing.Node(cloudEvent).Refused(PayloadErrorKind.SchemaViolation);
    }

    [Fact]
    public void Data_base64_is_parsed_with_the_same_strict_rules_as_a_body()
    {
        var cloudEvent = Event();
        cloudEvent.Remove("data");
        cloudEvent["data_base64"] = Base64("""{"user":"alice@contoso.com","reason":"forwarded"}""");

        var parsed = FormatParsing.Node(cloudEvent).Parsed();

        Assert.Equal(CloudEventFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal(["UserPrincipalName:alice@contoso.com"], parsed.Identifiers());
    }

    [Fact]
    public void Data_base64_with_a_repeated_property_is_refused_whole()
    {
        var cloudEvent = Event();
        cloudEvent.Remove("data");
        cloudEvent["data_base64"] = Base64("""{"user":"alice@contoso.com","user":"ruth.ellison@contoso.com"}""");

        Assert.Equal("$.data_base64", FormatParsing.Node(cloudEvent).Refused(PayloadErrorKind.DuplicateProperty).Path);
    }

    [Fact]
    public void Data_base64_that_is_not_base64_is_refused()
    {
        var cloudEvent = Event();
        cloudEvent.Remove("data");
        cloudEvent["data_base64"] = "not base64!!";

        FormatParsing.Node(cloudEvent).Refused(PayloadErrorKind.SchemaViolation);
    }

    [Fact]
    public void Non_JSON_data_is_refused_naming_the_content_type()
    {
        var cloudEvent = Event("alice@contoso.com");
        cloudEvent["datacontenttype"] = "text/plain";

        Assert.Equal("$.datacontenttype", FormatParsing.Node(cloudEvent).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Fact]
    public void A_JSON_string_is_not_unwrapped_into_a_payload()
    {
        var cloudEvent = Event("""{"user":"alice@contoso.com"}""");

        Assert.Equal(ReasonCode.UnknownSchema, FormatParsing.Node(cloudEvent).Refused(PayloadErrorKind.UnknownSchema).Reason);
    }

    [Fact]
    public void An_event_without_data_names_no_user()
    {
        var cloudEvent = Event();
        cloudEvent.Remove("data");

        FormatParsing.Node(cloudEvent).Refused(PayloadErrorKind.NoTargetUser);
    }

    [Fact]
    public void A_problem_in_the_data_is_named_where_it_is_in_the_event()
    {
        var error = FormatParsing.Node(Event(new JsonObject { ["user"] = "alice@contoso.com/../../groups" }))
            .Refused(PayloadErrorKind.InvalidUserIdentifier);

        Assert.Equal("$.data.user", error.Path);
        Assert.StartsWith("In the CloudEvent's data:", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_data_is_UnknownSchema_and_not_mined_for_users()
    {
        var data = JsonNode.Parse(File.ReadAllText(Infrastructure.TestPaths.Fixture("invalid/unknown-schema.json")));

        FormatParsing.Node(Event(data)).Refused(PayloadErrorKind.UnknownSchema);
    }

    [Fact]
    public void Any_other_format_can_be_wrapped()
    {
        var incident = JsonNode.Parse(File.ReadAllText(Infrastructure.TestPaths.Fixture("valid/sentinel-incident.json")));

        var parsed = FormatParsing.Node(Event(incident)).Parsed();

        Assert.Equal(CloudEventFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal("4821", parsed.Source.Number);
        Assert.Equal(2, parsed.Targets.Count);
    }

    [Fact]
    public void A_CloudEvent_inside_a_CloudEvent_is_beyond_the_envelope_depth()
    {
        var inner = Event();

        FormatParsing.Node(Event(inner)).Refused(PayloadErrorKind.UnknownSchema);
    }
}
