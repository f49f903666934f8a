using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Tests.Formats;

/// <summary>The app's HR leaver message.</summary>
public sealed class HrLeaverFormatTests
{
    private const string File = "valid/hr-leaver.json";

    private static JsonObject Leaver() => FormatParsing.Load(File);

    [Fact]
    public void UPN_and_employee_ID_are_both_identifiers_so_they_must_agree()
    {
        var parsed = FormatParsing.Fixture(File).Parsed();

        var target = Assert.Single(parsed.Targets);
        Assert.Equal(["UserPrincipalName:kenji.tanaka@contoso.com", "EmployeeId:100482"], target.Identifiers.Select(i => i.ToString()));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero), target.EventTime);
        Assert.Null(target.NotBefore);
        Assert.Equal("92c778bf-0039-452e-9848-b395e64d285c", target.CorrelationId);
        Assert.Equal(HrLeaverFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal("HR-2026-01187", parsed.Source.Id);
        Assert.Contains("Workday", target.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_employee_ID_alone_is_enough_and_keeps_its_leading_zeros()
    {
        var leaver = FormatParsing.Load("valid/hr-leaver-employeeid-only.json");
        leaver["employeeId"] = "0100917";

        var target = Assert.Single(FormatParsing.Node(leaver).Parsed().Targets);

        Assert.Equal("EmployeeId:0100917", target.Primary.ToString());
        Assert.Equal("0100917", target.Given);
    }

    [Fact]
    public void A_future_effective_date_is_when_the_revocation_is_due()
    {
        var target = Assert.Single(FormatParsing.Fixture("edge/hr-leaver-future-date.json").Parsed().Targets);

        var due = new DateTimeOffset(2099, 12, 31, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal(due, target.NotBefore);
        Assert.Equal(due, target.EventTime);
    }

    [Fact]
    public void An_offset_effective_date_is_kept_as_that_instant()
    {
        var leaver = Leaver();
        leaver["effectiveDate"] = "2026-11-20T18:00:00+01:00";

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero), Assert.Single(FormatParsing.Node(leaver).Parsed().Targets).EventTime);
    }

    [Theory]
    [InlineData("2026-11-20T17:00:00.000000000Z")]
    [InlineData("2026-11-20t17:00:00z")]
    [InlineData("2026-11-20T17:00:00.0000000-00:00")]
    public void RFC_3339_variants_read_as_the_same_instant(string effectiveDate)
    {
        var leaver = Leaver();
        leaver["effectiveDate"] = effectiveDate;

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero), Assert.Single(FormatParsing.Node(leaver).Parsed().Targets).EventTime);
    }

    [Theory]
    [InlineData("2026-11-20")]
    [InlineData("2026-11-20T17:00:00")]
    [InlineData("20 November 2026")]
    [InlineData("2026-11-20T17:00:00+0100")]
    public void An_effective_date_without_an_offset_or_time_is_refused(string effectiveDate)
    {
        var leaver = Leaver();
        leaver["effectiveDate"] = effectiveDate;

        Assert.Equal("$.effectiveDate", FormatParsing.Node(leaver).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Theory]
    [InlineData("effectiveDate")]
    [InlineData("ticket")]
    [InlineData("sourceSystem")]
    public void A_required_member_missing_is_named(string member)
    {
        var leaver = Leaver();
        leaver.Remove(member);

        var error = FormatParsing.Node(leaver).Refused(PayloadErrorKind.SchemaViolation);

        Assert.Equal("$." + member, error.Path);
        Assert.Contains(member, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_numeric_employee_ID_is_refused_because_it_loses_leading_zeros()
    {
        var leaver = Leaver();
        leaver["employeeId"] = 100482;

        Assert.Equal("$.employeeId", FormatParsing.Node(leaver).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Theory]
    [InlineData("messageType", "mover")]
    [InlineData("schemaVersion", "2.0")]
    [InlineData("submittedAt", "yesterday")]
    public void Other_schema_violations_are_refused(string member, string value)
    {
        var leaver = Leaver();
        leaver[member] = value;

        Assert.Equal("$." + member, FormatParsing.Node(leaver).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Fact]
    public void A_leaver_naming_nobody_is_refused()
    {
        var leaver = Leaver();
        leaver.Remove("employeeId");
        leaver.Remove("userPrincipalName");

        FormatParsing.Node(leaver).Refused(PayloadErrorKind.NoTargetUser);
    }

    [Theory]
    [InlineData("employeeId", "100482' or employeeId ne '")]
    [InlineData("employeeId", "12345678901234567")]
    [InlineData("userPrincipalName", "kenji.tanaka@contoso.com/../../groups")]
    public void A_malformed_identifier_refuses_the_leaver(string member, string value)
    {
        var leaver = Leaver();
        leaver[member] = value;

        Assert.Equal("$." + member, FormatParsing.Node(leaver).Refused(PayloadErrorKind.InvalidUserIdentifier).Path);
    }

    [Fact]
    public void A_termination_type_outside_the_documented_list_does_not_lose_the_leaver()
    {
        var leaver = Leaver();
        leaver["terminationType"] = "redundancy";

        Assert.Contains("redundancy", Assert.Single(FormatParsing.Node(leaver).Parsed().Targets).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rescind_needs_no_effective_date_and_is_ordered_by_its_submittedAt()
    {
        var leaver = Leaver();
        leaver["messageType"] = HrLeaverFormat.RescindType;
        leaver.Remove("effectiveDate");

        var parsed = FormatParsing.Node(leaver).Parsed();

        var target = Assert.Single(parsed.Targets);
        Assert.True(target.IsRescind);
        Assert.True(target.IsLeaver);
        Assert.Null(target.NotBefore);
        var submitted = new DateTimeOffset(2026, 11, 20, 17, 4, 38, TimeSpan.Zero);
        Assert.Equal(submitted, target.SubmittedAt);
        Assert.Equal(submitted, target.EventTime);
        Assert.Equal(["UserPrincipalName:kenji.tanaka@contoso.com", "EmployeeId:100482"], target.Identifiers.Select(i => i.ToString()));
        Assert.Equal("HR-2026-01187", parsed.Source.Id);
    }

    [Fact]
    public void A_leaver_keeps_its_submittedAt_for_ordering_against_later_messages()
    {
        var target = Assert.Single(FormatParsing.Fixture(File).Parsed().Targets);

        Assert.False(target.IsRescind);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 17, 4, 38, TimeSpan.Zero), target.SubmittedAt);
    }
}
