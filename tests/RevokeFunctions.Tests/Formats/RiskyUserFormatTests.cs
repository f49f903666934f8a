using System.Globalization;
using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Entra ID Protection risky users: one object or a page, riskState deciding who is revoked.</summary>
public sealed class RiskyUserFormatTests
{
    private const string Kenji = "83ec76c8-bea5-4033-a192-044fb3907bca";
    private const string Sofia = "60921093-4357-41d1-b73a-4b2488b19bee";

    private static JsonObject Page() => SampleFiles.Object("risky-users.json");

    private static JsonObject First() => Page()["value"]![0]!.DeepClone().AsObject();

    [Fact]
    public void A_page_yields_each_risky_user_by_object_ID_with_riskLastUpdatedDateTime_as_event_time()
    {
        var parsed = FormatParsing.Node(Page()).Parsed();

        Assert.Equal(RiskyUserFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal([$"ObjectId:{Kenji}", $"ObjectId:{Sofia}"], parsed.Identifiers());
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T11:52:07.447Z", CultureInfo.InvariantCulture), parsed.Targets[0].EventTime);
        Assert.All(parsed.Targets, t => Assert.Null(t.Refusal));
        Assert.Null(parsed.Source.Id);
    }

    [Fact]
    public void One_risky_user_alone_is_its_own_source()
    {
        var parsed = FormatParsing.Node(First()).Parsed();

        Assert.Equal($"ObjectId:{Kenji}", Assert.Single(parsed.Targets).Primary.ToString());
        Assert.Equal(Kenji, parsed.Source.Id);
        Assert.Equal("high", parsed.Source.Severity);
    }

    [Fact]
    public void Without_an_ID_the_UPN_names_the_user_and_the_display_name_never_does()
    {
        var user = First();
        user.Remove("id");

        Assert.Equal("UserPrincipalName:kenji.tanaka@contoso.com", Assert.Single(FormatParsing.Node(user).Parsed().Targets).Primary.ToString());

        user.Remove("userPrincipalName");
        FormatParsing.Node(user).Refused(PayloadErrorKind.NoTargetUser);
    }

    [Theory]
    [InlineData("atRisk", false)]
    [InlineData("confirmedCompromised", false)]
    [InlineData("remediated", true)]
    [InlineData("dismissed", true)]
    [InlineData("confirmedSafe", true)]
    [InlineData("none", true)]
    [InlineData("unknownFutureValue", true)]
    public void Only_atRisk_and_confirmedCompromised_revoke_the_other_states_carry_a_RiskNotActive_refusal(string state, bool refused)
    {
        var user = First();
        user["riskState"] = state;

        var target = Assert.Single(FormatParsing.Node(user).Parsed().Targets);

        Assert.Equal(refused, target.Refusal is not null);
        if (refused)
        {
            Assert.Equal(ReasonCode.RiskNotActive, target.Refusal!.Reason);
            Assert.Contains(state, target.Refusal.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_risky_user_without_riskState_is_a_schema_violation_not_a_revocation()
    {
        var user = First();
        user.Remove("riskState");

        var error = FormatParsing.Node(user).Refused(PayloadErrorKind.SchemaViolation);

        Assert.Equal("$.riskState", error.Path);
    }

    [Fact]
    public void An_ID_that_is_not_a_GUID_refuses_the_whole_page()
    {
        var page = Page();
        page["value"]![1]!["id"] = "../users/someone-else";

        var error = FormatParsing.Node(page).Refused(PayloadErrorKind.InvalidUserIdentifier);

        Assert.Equal("$.value[1].id", error.Path);
    }

    [Fact]
    public void An_empty_page_names_no_user_and_a_foreign_item_is_a_schema_violation()
    {
        var empty = Page();
        empty["value"] = new JsonArray();
        FormatParsing.Node(empty).Refused(PayloadErrorKind.NoTargetUser);

        var mixed = Page();
        mixed["value"]!.AsArray().Add(new JsonObject { ["user"] = "alice@contoso.com" });
        Assert.Equal("$.value[2]", FormatParsing.Node(mixed).Refused(PayloadErrorKind.SchemaViolation).Path);
    }
}
