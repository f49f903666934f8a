using System.Globalization;
using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Sentinel incidents, as the resource and inside the incident trigger's envelope.</summary>
public sealed class SentinelIncidentFormatTests
{
    private const string File = "valid/sentinel-incident.json";

    private static JsonObject Account(JsonObject properties) => new()
    {
        ["id"] = "/subscriptions/x/providers/Microsoft.SecurityInsights/Entities/1",
        ["type"] = "Microsoft.SecurityInsights/Entities",
        ["kind"] = "Account",
        ["properties"] = properties,
    };

    private static JsonObject WithEntities(params JsonNode[] entities)
    {
        var incident = FormatParsing.Load(File);
        incident["properties"]!["relatedEntities"] = new JsonArray(entities);
        return incident;
    }

    private static JsonObject Envelope(JsonNode incident, string schemaType = "Incident") => new()
    {
        ["eventUniqueId"] = "0b2a7f5e-6a55-4d8e-9a1e-5a3c0c0d2d11",
        ["objectSchemaType"] = schemaType,
        ["objectEventType"] = "Create",
        ["workspaceInfo"] = new JsonObject
        {
            ["SubscriptionId"] = "49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb",
            ["ResourceGroupName"] = "rg-soc-prod",
            ["WorkspaceName"] = "law-contoso-sentinel",
        },
        ["workspaceId"] = "5e2a3c4d-1111-4222-8333-944455566677",
        ["object"] = incident,
    };

    [Fact]
    public void Account_entities_are_the_targets_and_the_incident_is_the_source_reference()
    {
        var parsed = FormatParsing.Fixture(File).Parsed();

        Assert.Equal([$"ObjectId:{FixtureUsers.Bob}", $"ObjectId:{FixtureUsers.Carmen}"], parsed.Identifiers());
        Assert.Equal("4821", parsed.Source.Number);
        Assert.Equal("High", parsed.Source.Severity);
        Assert.Equal("3dfb8416-4ba6-42a3-be8d-40e3ca6dcd58", parsed.Source.Id);
        Assert.StartsWith("https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/", parsed.Source.Url, StringComparison.Ordinal);
        Assert.EndsWith("/Incidents/3dfb8416-4ba6-42a3-be8d-40e3ca6dcd58", parsed.Source.ResourceId, StringComparison.Ordinal);
        Assert.Equal("Password spray followed by successful sign-in from anonymous IP", parsed.Source.Title);
    }

    [Fact]
    public void The_event_time_is_the_incidents_latest_activity_not_its_creation_or_last_change()
    {
        var parsed = FormatParsing.Fixture(File).Parsed();

        // lastActivityTimeUtc moves when alerts join the incident; status, owner and comments move only lastModifiedTimeUtc.
        var lastActivity = DateTimeOffset.Parse("2026-11-24T06:49:31Z", CultureInfo.InvariantCulture);
        Assert.All(parsed.Targets, t => Assert.Equal(lastActivity, t.EventTime));
    }

    [Fact]
    public void Without_a_last_activity_time_the_creation_time_is_the_event_time()
    {
        var incident = FormatParsing.Load(File);
        incident["properties"]!.AsObject().Remove("lastActivityTimeUtc");

        var parsed = FormatParsing.Node(incident).Parsed();

        var created = DateTimeOffset.Parse("2026-11-24T07:12:44.5218733Z", CultureInfo.InvariantCulture);
        Assert.All(parsed.Targets, t => Assert.Equal(created, t.EventTime));
    }

    [Fact]
    public void The_owner_and_comment_authors_never_become_targets()
    {
        var parsed = FormatParsing.Fixture(File).Parsed();

        Assert.DoesNotContain(parsed.Targets, t => t.Identifiers.Any(i => i.Value.Contains("tessa", StringComparison.Ordinal) || i.Value == FixtureUsers.Tessa));
    }

    [Fact]
    public void The_incident_trigger_envelope_yields_the_same_targets()
    {
        var parsed = FormatParsing.Node(Envelope(FormatParsing.Load(File))).Parsed();

        Assert.Equal(SentinelIncidentFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal("4821", parsed.Source.Number);
        Assert.Equal(FormatParsing.Fixture(File).Parsed().Identifiers(), parsed.Identifiers());
    }

    [Fact]
    public void An_envelope_of_another_object_type_is_refused()
    {
        var error = FormatParsing.Node(Envelope(FormatParsing.Load(File), "Alert")).Refused(PayloadErrorKind.SchemaViolation);

        Assert.Equal("$.objectSchemaType", error.Path);
    }

    [Fact]
    public void An_envelope_without_its_object_is_refused_naming_it()
    {
        var envelope = Envelope(FormatParsing.Load(File));
        envelope["object"] = "incident";

        Assert.Equal("$.object", FormatParsing.Node(envelope).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Fact]
    public void The_same_user_twice_is_one_target()
    {
        var parsed = FormatParsing.Fixture("edge/sentinel-incident-duplicate-user.json").Parsed();

        Assert.Equal(["ObjectId:a7d898df-aba0-4899-800c-818aea7804ac"], parsed.Identifiers());
    }

    [Fact]
    public void Without_an_account_entity_the_incident_names_no_user()
    {
        FormatParsing.Fixture("invalid/sentinel-incident-no-accounts.json").Refused(PayloadErrorKind.NoTargetUser);
    }

    [Fact]
    public void Without_aadUserId_the_UPN_is_account_name_at_UPN_suffix()
    {
        var parsed = FormatParsing.Node(WithEntities(Account(new JsonObject
        {
            ["accountName"] = "bob.kowalski",
            ["upnSuffix"] = "Contoso.com",
            ["ntDomain"] = "CONTOSO",
        }))).Parsed();

        Assert.Equal(["UserPrincipalName:bob.kowalski@contoso.com"], parsed.Identifiers());
    }

    [Fact]
    public void The_object_ID_wins_over_a_different_UPN()
    {
        var parsed = FormatParsing.Node(WithEntities(Account(new JsonObject
        {
            ["aadUserId"] = FixtureUsers.Bob,
            ["accountName"] = "someone.else",
            ["upnSuffix"] = "contoso.com",
        }))).Parsed();

        Assert.Equal([$"ObjectId:{FixtureUsers.Bob}"], parsed.Identifiers());
    }

    [Fact]
    public void Accounts_with_only_a_name_SID_or_display_name_yield_no_target()
    {
        var result = FormatParsing.Node(WithEntities(
            Account(new JsonObject { ["accountName"] = "bob.kowalski", ["ntDomain"] = "CONTOSO" }),
            Account(new JsonObject { ["sid"] = "S-1-5-21-2147918301-3912740088-1475038266-4219" }),
            Account(new JsonObject { ["displayName"] = "Bob Kowalski", ["friendlyName"] = "bob.kowalski" })));

        result.Refused(PayloadErrorKind.NoTargetUser);
    }

    [Fact]
    public void An_unusable_account_beside_a_usable_one_is_skipped()
    {
        var parsed = FormatParsing.Node(WithEntities(
            Account(new JsonObject { ["accountName"] = "svc-backup", ["ntDomain"] = "CONTOSO" }),
            Account(new JsonObject { ["aadUserId"] = FixtureUsers.Carmen }))).Parsed();

        Assert.Equal([$"ObjectId:{FixtureUsers.Carmen}"], parsed.Identifiers());
    }

    [Theory]
    [InlineData("x' or 1 eq 1 or id eq '")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("dbf36fa1-d4a8-46b4-9147-3a1b11764fd9/../groups")]
    public void A_malformed_object_ID_anywhere_refuses_the_whole_incident(string aadUserId)
    {
        var error = FormatParsing.Node(WithEntities(
            Account(new JsonObject { ["aadUserId"] = FixtureUsers.Bob }),
            Account(new JsonObject { ["aadUserId"] = aadUserId }))).Refused(PayloadErrorKind.InvalidUserIdentifier);

        Assert.Equal("$.properties.relatedEntities[1].properties.aadUserId", error.Path);
        Assert.DoesNotContain(aadUserId, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_composed_UPN_refuses_the_whole_incident()
    {
        var error = FormatParsing.Node(WithEntities(Account(new JsonObject
        {
            ["accountName"] = "CONTOSO\\bob",
            ["upnSuffix"] = "contoso.com",
        }))).Refused(PayloadErrorKind.InvalidUserIdentifier);

        Assert.Equal("$.properties.relatedEntities[0].properties.accountName", error.Path);
    }

    [Theory]
    [InlineData("""{"kind":"Account","properties":{"aadUserId":42}}""", "$.properties.relatedEntities[0].properties.aadUserId")]
    [InlineData("\"Account\"", "$.properties.relatedEntities[0]")]
    [InlineData("""{"kind":7}""", "$.properties.relatedEntities[0].kind")]
    public void Mistyped_entities_are_schema_violations_naming_the_member(string entity, string path)
    {
        var error = FormatParsing.Node(WithEntities(JsonNode.Parse(entity)!)).Refused(PayloadErrorKind.SchemaViolation);

        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Related_entities_that_are_not_an_array_are_a_schema_violation()
    {
        var incident = FormatParsing.Load(File);
        incident["properties"]!["relatedEntities"] = new JsonObject();

        Assert.Equal("$.properties.relatedEntities", FormatParsing.Node(incident).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Fact]
    public void A_last_activity_time_that_is_not_RFC_3339_is_a_schema_violation()
    {
        var incident = FormatParsing.Load(File);
        incident["properties"]!["lastActivityTimeUtc"] = "24/11/2026 07:12";

        Assert.Equal("$.properties.lastActivityTimeUtc", FormatParsing.Node(incident).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Fact]
    public void A_long_title_is_kept_short_and_on_one_line()
    {
        var incident = FormatParsing.Load(File);
        incident["properties"]!["title"] = "Line one\r\nline two " + new string('x', 5000);

        var parsed = FormatParsing.Node(incident).Parsed();

        Assert.True(parsed.Source.Title!.Length <= 256);
        Assert.DoesNotContain('\n', parsed.Source.Title);
        Assert.All(parsed.Targets, t => Assert.True(t.Reason!.Length <= 256));
    }
}
