using System.Text.Json.Nodes;

namespace RevokeFunctions.Infra.Tests;

/// <summary>
/// The operators' workbook: deployed by azd beside Application Insights, answering the questions of docs/queries.kql,
/// and querying only metrics, EventIds and dimensions the app emits (read from the app's source), so a rename in the app
/// fails here instead of leaving a panel blank in production.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class WorkbookTests(CompiledTemplateFixture fixture)
{
    private static readonly AppTelemetry App = AppTelemetry.FromSource(Repository.PathOf("src"));

    private static readonly JsonObject Workbook =
        JsonNode.Parse(Repository.ReadAllText("infra", "core", "monitor", "revocations-workbook.json"))!.AsObject();

    public static TheoryData<string> QueryNames => [.. Queries().Select(q => q.Name)];

    [Fact]
    public void Is_deployed_beside_application_insights_and_reads_it()
    {
        var workbook = fixture.Template.SingleOfType("Microsoft.Insights/workbooks");
        Assert.Equal("shared", workbook.Resource["kind"]!.GetValue<string>());
        var properties = workbook.Properties!;
        Assert.Equal("workbook", properties["category"]!.GetValue<string>());
        Assert.Equal("[resourceId('Microsoft.Insights/components', parameters('applicationInsightsName'))]", ArmTemplate.AsString(properties["sourceId"]));
        // The JSON file is the workbook, with the component's ID put where the file has the placeholder.
        Assert.Matches(@"^\[replace\(variables\('\$fxv#\d+'\), '__APPLICATION_INSIGHTS_ID__', resourceId\('Microsoft.Insights/components', parameters\('applicationInsightsName'\)\)\)\]$",
            ArmTemplate.AsString(properties["serializedData"]));
        Assert.Contains("__APPLICATION_INSIGHTS_ID__", Workbook["fallbackResourceIds"]!.ToJsonString(), StringComparison.Ordinal);
        var (component, _) = ArmTemplate.ResolveFragment("parameters('applicationInsightsName')", workbook.Scope);
        Assert.Equal(ArmTemplate.AsString(fixture.Template.Root.Template["variables"]!["appInsightsName"]), ArmTemplate.AsString(component));
        // A workbook's name must be a GUID: a stable one, so each provision updates the same workbook.
        Assert.StartsWith("[guid(", workbook.Name, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(QueryNames))]
    public void Every_name_the_panel_queries_is_one_the_app_emits(string name)
    {
        var query = Queries().Single(q => q.Name == name);
        Assert.Empty(App.Problems(query.Kql));
        Assert.Equal("microsoft.insights/components", query.ResourceType);
        Assert.Contains("{TimeRange}", query.Kql, StringComparison.Ordinal);
    }

    [Fact]
    public void The_panels_answer_the_operators_questions()
    {
        var parsed = Queries().Select(q => AppTelemetry.Parse(q.Kql)).ToList();
        var metrics = parsed.SelectMany(p => p.MetricNames).ToHashSet(StringComparer.Ordinal);
        var events = parsed.SelectMany(p => p.EventIds).ToHashSet(StringComparer.Ordinal);

        // Revocations per hour by source and outcome; dead letters by reason; storm-guard trips; Graph latency and 429s.
        Assert.Superset(new HashSet<string>(["revocations.outcomes", "revocations.dead_letters", "revocations.storm_guard_trips",
            "graph.request.duration", "graph.throttled"], StringComparer.Ordinal), metrics);
        // Every metric the app has is on a panel.
        Assert.Equal(App.Metrics.Keys.Order(StringComparer.Ordinal), metrics.Order(StringComparer.Ordinal));
        // Dead letters (41), storm-guard trips (710), protected-account decisions (720 refused, 721 revoked), 429 pauses (60).
        Assert.Superset(new HashSet<string>(["41", "710", "720", "721", "60"], StringComparer.Ordinal), events);
        var outcomes = Queries().Single(q => q.Name == "outcomes");
        Assert.Equal(new HashSet<string>(["source", "outcome"], StringComparer.Ordinal), AppTelemetry.Parse(outcomes.Kql).Dimensions);
    }

    [Fact]
    public void Every_log_EventId_names_one_event_so_a_panel_cannot_mix_two()
    {
        var shared = App.Events.Where(e => e.Value.Count > 1).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();

        Assert.True(shared.Count == 0, "EventIds declared more than once in src/: " + string.Join(", ", shared));
    }

    [Fact]
    public void Shows_unverified_revocations_by_their_metric_and_their_warning()
    {
        var text = string.Join("\n", Workbook["items"]!.AsArray().Where(i => i!["type"]!.GetValue<int>() == 1)
            .Select(i => i!["content"]!["json"]!.GetValue<string>()));
        Assert.Contains("Unverified revocations", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not shown", text, StringComparison.Ordinal);
        var parsed = Queries().Select(q => AppTelemetry.Parse(q.Kql)).ToList();
        Assert.Contains(parsed, p => p.MetricNames.Contains("revocations.verifications"));
        Assert.Contains(parsed, p => p.EventIds.Contains("903"));
    }

    [Fact]
    public void Reads_the_apps_telemetry_from_its_source()
    {
        // The checker is only as good as what it reads: the five metrics with their tags, and the events' placeholders.
        Assert.Equal(["outcome", "reason", "source"], App.Metrics["revocations.outcomes"].Order(StringComparer.Ordinal));
        Assert.Equal(["operation", "status"], App.Metrics["graph.request.duration"].Order(StringComparer.Ordinal));
        Assert.Equal(["reason"], App.Metrics["revocations.dead_letters"]);
        var deadLettered = Assert.Single(App.Events["41"]);
        Assert.Equal(["Attempt", "Description", "MessageId", "ReasonCode", "RequestId"], deadLettered.Order(StringComparer.Ordinal));
        // Placeholders of a message built from several concatenated literals are all found.
        Assert.Contains("LedgerPending", Assert.Single(App.Events["2"]));
    }

    [Theory]
    [InlineData("customMetrics | where name == \"revocations.outcome\" | summarize sum(valueSum)", "metric 'revocations.outcome'")]
    [InlineData("customMetrics | where name == \"revocations.outcomes\" | extend S = tostring(customDimensions.sourceKind)", "dimension 'sourceKind'")]
    [InlineData("traces | where tostring(customDimensions.EventId) == \"4242\"", "EventId 4242")]
    [InlineData("traces | where tostring(customDimensions.EventId) in (\"720\", \"721\") | extend U = tostring(customDimensions[\"UserUpn\"])", "dimension 'UserUpn'")]
    [InlineData("traces | where tostring(customDimensions.EventId) == \"61\" | extend P = customDimensions.PauseMilliseconds", "dimension 'PauseMilliseconds'")]
    [InlineData("traces | where message has \"refused\"", "without naming a log EventId")]
    public void A_rename_on_either_side_is_caught(string kql, string expected)
    {
        var problems = App.Problems(kql);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    private static List<(string Name, string Kql, string ResourceType)> Queries() =>
        Workbook["items"]!.AsArray()
            .Where(i => i!["type"]!.GetValue<int>() == 3)
            .Select(i => (i!["name"]!.GetValue<string>(), i["content"]!["query"]!.GetValue<string>(), i["content"]!["resourceType"]!.GetValue<string>()))
            .ToList();
}
