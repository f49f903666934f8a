using System.Globalization;
using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Sentinel SecurityAlert rows (Entities as a JSON string) and alert-trigger bodies (Entities as an array).</summary>
public sealed class SentinelAlertFormatTests
{
    private const string File = "valid/sentinel-alert.json";
    private const string Dmitri = "11e446ca-541a-4ff0-88a7-ac0106923a60";

    private static JsonObject WithEntities(string entitiesJson, bool asString = true)
    {
        var alert = FormatParsing.Load(File);
        alert["Entities"] = asString ? entitiesJson : JsonNode.Parse(entitiesJson);
        return alert;
    }

    [Fact]
    public void The_account_entity_in_the_Entities_string_is_the_target()
    {
        var parsed = FormatParsing.Fixture(File).Parsed();

        Assert.Equal(SentinelAlertFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal([$"ObjectId:{Dmitri}"], parsed.Identifiers());
        Assert.Equal("e48d34a6-7c51-4160-9c13-ed837a5320f9", parsed.Source.Id);
        Assert.Equal("Medium", parsed.Source.Severity);
        Assert.Equal("Sign-in from a country never seen for this user", parsed.Source.Title);
    }

    [Fact]
    public void The_event_time_is_when_the_alert_was_generated()
    {
        var target = Assert.Single(FormatParsing.Fixture(File).Parsed().Targets);

        Assert.Equal(DateTimeOffset.Parse("2026-11-24T09:05:17.441Z", CultureInfo.InvariantCulture), target.EventTime);
    }

    [Fact]
    public void The_alert_trigger_form_with_an_Entities_array_reads_the_same()
    {
        var alert = FormatParsing.Load(File);
        alert["Entities"] = JsonNode.Parse(alert["Entities"]!.GetValue<string>());

        Assert.Equal([$"ObjectId:{Dmitri}"], FormatParsing.Node(alert).Parsed().Identifiers());
    }

    [Fact]
    public void CompromisedEntity_never_picks_a_target()
    {
        var alert = WithEntities("""[{"$id":"3","Address":"198.51.100.23","Type":"ip"}]""");

        FormatParsing.Node(alert).Refused(PayloadErrorKind.NoTargetUser);
    }

    [Fact]
    public void Without_AadUserId_the_UPN_is_Name_at_UPNSuffix()
    {
        var alert = WithEntities("""[{"$id":"2","Name":"dmitri.volkov","UPNSuffix":"contoso.com","AadUserId":"","Type":"account"}]""");

        Assert.Equal(["UserPrincipalName:dmitri.volkov@contoso.com"], FormatParsing.Node(alert).Parsed().Identifiers());
    }

    [Fact]
    public void An_account_first_written_inside_another_entity_is_found_through_its_reference()
    {
        var alert = WithEntities($$"""
            [{"$id":"2","ProcessId":"4242","Account":{"$id":"3","Name":"dmitri.volkov","UPNSuffix":"contoso.com","AadUserId":"{{Dmitri}}","Type":"account"},"Type":"process"},
             {"$ref":"3"}]
            """);

        Assert.Equal([$"ObjectId:{Dmitri}"], FormatParsing.Node(alert).Parsed().Identifiers());
    }

    [Fact]
    public void An_account_only_nested_in_another_entity_is_not_a_target()
    {
        var alert = WithEntities($$"""
            [{"$id":"2","ProcessId":"4242","Account":{"$id":"3","AadUserId":"{{Dmitri}}","Type":"account"},"Type":"process"}]
            """);

        FormatParsing.Node(alert).Refused(PayloadErrorKind.NoTargetUser);
    }

    [Fact]
    public void A_reference_to_no_entity_is_a_schema_violation()
    {
        var alert = WithEntities("""[{"$ref":"9"}]""");

        Assert.Equal("$.Entities[0]['$ref']", FormatParsing.Node(alert).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Fact]
    public void A_repeated_entity_id_is_a_schema_violation()
    {
        var alert = WithEntities($$"""[{"$id":"2","AadUserId":"{{Dmitri}}","Type":"account"},{"$id":"2","Type":"ip"}]""");

        FormatParsing.Node(alert).Refused(PayloadErrorKind.SchemaViolation);
    }

    [Fact]
    public void The_Entities_string_may_not_repeat_a_property_name()
    {
        var alert = WithEntities($$"""[{"AadUserId":"{{Dmitri}}","AadUserId":"6e36244f-95dd-4f19-a5f9-cf7a5f8a8a47","Type":"account"}]""");

        Assert.Equal("$.Entities", FormatParsing.Node(alert).Refused(PayloadErrorKind.DuplicateProperty).Path);
    }

    [Theory]
    [InlineData("""[{"Type":"account",}]""")]
    [InlineData("""{"Type":"account"}""")]
    [InlineData("""[{"Type":"account"} /* note */]""")]
    public void An_Entities_string_that_is_not_a_strict_JSON_array_is_a_schema_violation(string entities)
    {
        FormatParsing.Node(WithEntities(entities)).Refused(PayloadErrorKind.SchemaViolation);
    }

    [Fact]
    public void The_Entities_string_has_the_body_depth_cap()
    {
        var deep = "[" + new string('[', 40) + new string(']', 40) + "]";

        FormatParsing.Node(WithEntities(deep)).Refused(PayloadErrorKind.SchemaViolation);
    }

    [Fact]
    public void A_malformed_AadUserId_refuses_the_alert()
    {
        var alert = WithEntities("""[{"AadUserId":"11e446ca-541a-4ff0-88a7-ac0106923a6","Type":"account"}]""");

        Assert.Equal("$.Entities[0].AadUserId", FormatParsing.Node(alert).Refused(PayloadErrorKind.InvalidUserIdentifier).Path);
    }

    [Fact]
    public void Entities_of_another_JSON_type_are_a_schema_violation()
    {
        var alert = FormatParsing.Load(File);
        alert["Entities"] = 5;

        Assert.Equal("$.Entities", FormatParsing.Node(alert).Refused(PayloadErrorKind.SchemaViolation).Path);
    }
}
