using System.Text.Json;
using System.Text.Json.Nodes;

namespace RevokeFunctions.Infra.Tests;

/// <summary>azure.yaml, the parameters file and the app-role manifest fragment.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class AzdConfigurationTests(CompiledTemplateFixture fixture)
{
    [Theory]
    [InlineData(@"(?m)^services:\s*\n\s+api:\s*$")]
    [InlineData(@"(?m)^\s+project: \./src/RevokeFunctions\.App\s*$")]
    [InlineData(@"(?m)^\s+language: dotnet\s*$")]
    [InlineData(@"(?m)^\s+host: function\s*$")]
    [InlineData(@"(?m)^\s+provider: bicep\s*$")]
    [InlineData(@"(?m)^\s+path: infra\s*$")]
    [InlineData(@"(?m)^\s+postprovision:\s*$")]
    [InlineData(@"(?m)^\s+run: infra/scripts/grant-graph-permissions\.sh\s*$")]
    [InlineData(@"(?m)^\s+run: infra/scripts/grant-graph-permissions\.ps1\s*$")]
    [InlineData(@"(?m)^\s+preprovision:\s*$")]
    [InlineData(@"(?m)^\s+run: infra/scripts/check-prerequisites\.sh\s*$")]
    [InlineData(@"(?m)^\s+run: infra/scripts/check-prerequisites\.ps1\s*$")]
    public void Azure_yaml_declares(string pattern) =>
        Assert.Matches(pattern, Repository.ReadAllText("azure.yaml").Replace("\r\n", "\n", StringComparison.Ordinal));

    [Theory]
    [InlineData("grant-graph-permissions.sh")]
    [InlineData("grant-graph-permissions.ps1")]
    [InlineData("configure-api-app.sh")]
    [InlineData("configure-api-app.ps1")]
    [InlineData("check-prerequisites.sh")]
    [InlineData("check-prerequisites.ps1")]
    [InlineData("assign-caller-role.sh")]
    [InlineData("assign-caller-role.ps1")]
    public void Hook_script_exists(string script) => Assert.True(File.Exists(Repository.PathOf("infra", "scripts", script)));

    [Fact]
    public void Parameters_file_sets_only_parameters_of_main_and_every_required_one()
    {
        var parameters = JsonNode.Parse(Repository.ReadAllText("infra", "main.parameters.json"))!["parameters"]!.AsObject();
        var declared = fixture.Template.Root.Template["parameters"]!.AsObject();
        foreach (var (name, _) in parameters)
            Assert.True(declared.ContainsKey(name), $"main.parameters.json sets {name}, which main.bicep does not declare.");
        foreach (var (name, definition) in declared)
        {
            if (definition?["defaultValue"] is null)
                Assert.True(parameters.ContainsKey(name), $"main.bicep parameter {name} has no default and is not in main.parameters.json.");
        }
        Assert.Equal("${AZURE_ENV_NAME}", parameters["environmentName"]?["value"]?.GetValue<string>());
    }

    [Fact]
    public void Main_declares_the_documented_parameters_with_their_defaults()
    {
        var declared = fixture.Template.Root.Template["parameters"]!;
        Assert.Equal("subscription", TargetScope());
        Assert.Equal(25, declared["stormGuardMaxUsers"]?["defaultValue"]?.GetValue<int>());
        Assert.False(declared["dryRun"]?["defaultValue"]?.GetValue<bool>());
        Assert.Equal("array", declared["protectedGroupIds"]?["type"]?.GetValue<string>());
        Assert.Equal(string.Empty, declared["apiAppClientId"]?["defaultValue"]?.GetValue<string>());
        // Every write-back is off unless its parameter is set.
        Assert.Equal(string.Empty, declared["sentinelWorkspaceId"]?["defaultValue"]?.GetValue<string>());
        Assert.False(declared["defenderComments"]?["defaultValue"]?.GetValue<bool>());
        Assert.Equal(string.Empty, declared["managerEmailSender"]?["defaultValue"]?.GetValue<string>());
        Assert.Equal(string.Empty, declared["notificationWebhookKeyVaultUri"]?["defaultValue"]?.GetValue<string>());
    }

    [Fact]
    public void App_roles_are_the_two_revocation_roles_with_stable_ids()
    {
        var roles = JsonNode.Parse(Repository.ReadAllText("infra", "app-registration", "app-roles.json"))!.AsArray();
        var byValue = roles.Select(r => r!.AsObject()).ToDictionary(r => r["value"]!.GetValue<string>(), StringComparer.Ordinal);
        Assert.Equal(["Revocations.Protected", "Revocations.Submit"], byValue.Keys.Order(StringComparer.Ordinal));
        // Changing an id would orphan every assignment of the role: these never change.
        Assert.Equal("b46d9506-2c7b-464b-ab29-32002cc15d22", byValue["Revocations.Submit"]["id"]!.GetValue<string>());
        Assert.Equal("8d920c06-f42a-45f9-a046-ad0ed8e13231", byValue["Revocations.Protected"]["id"]!.GetValue<string>());
        foreach (var role in byValue.Values)
        {
            Assert.True(Guid.TryParse(role["id"]!.GetValue<string>(), out _));
            Assert.True(role["isEnabled"]!.GetValue<bool>());
            Assert.Equal(["Application", "User"], role["allowedMemberTypes"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal));
            Assert.False(string.IsNullOrWhiteSpace(role["displayName"]?.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(role["description"]?.GetValue<string>()));
        }
    }

    private string TargetScope()
    {
        var schema = fixture.Template.Root.Template["$schema"]!.GetValue<string>();
        return schema.Contains("subscriptionDeploymentTemplate", StringComparison.Ordinal) ? "subscription" : JsonSerializer.Serialize(schema);
    }
}
