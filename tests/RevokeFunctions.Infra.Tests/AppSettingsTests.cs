using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RevokeFunctions.Infra.Tests;

/// <summary>The function app's settings: the exact names the app reads, identity-based connections only.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed partial class AppSettingsTests
{
    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly string settingsExpression;
    private readonly TemplateScope settingsScope;
    private readonly ArmTemplate template;

    public AppSettingsTests(CompiledTemplateFixture fixture)
    {
        template = fixture.Template;
        var config = fixture.Template.OfType("Microsoft.Web/sites/config")
            .Where(r => r.Name.Contains("'appsettings'", StringComparison.Ordinal) || r.Name.EndsWith("/appsettings", StringComparison.Ordinal))
            .ToList();
        Assert.Single(config);
        var (value, scope) = ArmTemplate.Resolve(config[0].Properties, config[0].Scope);
        settingsScope = scope;
        switch (value)
        {
            case JsonObject literal:
                settingsExpression = literal.ToJsonString();
                settings = literal.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? $"'{s.Replace("'", "''", StringComparison.Ordinal)}'" : p.Value?.ToJsonString() ?? "null", StringComparer.Ordinal);
                break;
            default:
                settingsExpression = ArmTemplate.AsString(value) ?? throw new InvalidOperationException("App settings are neither an object nor an expression.");
                settings = ArmExpression.CreateObjectPairs(settingsExpression);
                break;
        }
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__credential", "managedidentity")]
    [InlineData("ServiceBus__credential", "managedidentity")]
    [InlineData("RevocationQueueName", "revocations")]
    [InlineData("Ledger__tableName", "revocations")]
    [InlineData("Graph__BaseUrl", "https://graph.microsoft.com/v1.0")]
    public void Setting_has_value(string name, string expected) => Assert.Equal(expected, Literal(name));

    [Theory]
    [InlineData("AzureWebJobsStorage__blobServiceUri")]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("ServiceBus__fullyQualifiedNamespace")]
    [InlineData("ServiceBus__clientId")]
    [InlineData("Ledger__serviceUri")]
    [InlineData("AZURE_CLIENT_ID")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")]
    [InlineData("Guards__StormGuard__MaxUsers")]
    [InlineData("Guards__DryRun")]
    public void Setting_is_present(string name) => Assert.Contains(name, settings.Keys);

    [Fact]
    public void Every_client_id_setting_is_the_user_assigned_identity()
    {
        var expected = settings["AZURE_CLIENT_ID"];
        Assert.Equal("parameters('identityClientId')", expected);
        Assert.Equal(expected, settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal(expected, settings["ServiceBus__clientId"]);
        Assert.Equal("format('ClientId={0};Authorization=AAD', parameters('identityClientId'))", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);

        // ...and that parameter is the clientId output of the identity module.
        var (passed, _) = ArmTemplate.ResolveFragment("parameters('identityClientId')", settingsScope);
        Assert.Matches(@"'identity'\).*outputs\.clientId\.value", ArmTemplate.AsString(passed) ?? string.Empty);
    }

    [Fact]
    public void Host_storage_uses_only_the_identity_forms()
    {
        foreach (var name in settings.Keys.Where(n => n.StartsWith("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase)))
            Assert.StartsWith("AzureWebJobsStorage__", name, StringComparison.Ordinal);
        Assert.Equal(
            ["AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__credential",
             "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri"],
            settings.Keys.Where(n => n.StartsWith("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("blob")]
    [InlineData("queue")]
    [InlineData("table")]
    public void Host_storage_service_URIs_are_the_accounts_own_endpoints(string service)
    {
        // __accountName is expanded with the public cloud's suffix by the host: the account's endpoints work everywhere.
        Assert.DoesNotContain("AzureWebJobsStorage__accountName", settings.Keys);
        var value = settings[$"AzureWebJobsStorage__{service}ServiceUri"];
        Assert.Equal($"reference(resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName')), '2024-01-01').primaryEndpoints.{service}", value);
    }

    [Fact]
    public void No_setting_holds_a_secret()
    {
        foreach (var (name, value) in settings)
        {
            Assert.DoesNotMatch(SecretLooking(), name);
            Assert.DoesNotMatch(SecretLooking(), value);
            if (name.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) || name.Contains("CONNECTION_STRING", StringComparison.Ordinal))
                Assert.Equal("APPLICATIONINSIGHTS_CONNECTION_STRING", name);
        }
        Assert.DoesNotMatch(SecretLooking(), settingsExpression);
    }

    [Fact]
    public void Application_insights_connection_string_is_read_from_the_component_not_listed()
    {
        var value = settings["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        Assert.Contains("Microsoft.Insights/components", value, StringComparison.Ordinal);
        Assert.EndsWith(".ConnectionString", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Ledger_uri_is_the_table_endpoint_of_this_cloud()
    {
        // Passed from the storage module's tableEndpoint output, which is built from environment().
        var storageOutputs = StorageTableEndpointOutput();
        Assert.Contains(".table.", storageOutputs, StringComparison.Ordinal);
        Assert.Contains("environment().suffixes.storage", storageOutputs, StringComparison.Ordinal);
        var (passed, _) = ArmTemplate.ResolveFragment(settings["Ledger__serviceUri"], settingsScope);
        Assert.Contains("outputs.tableEndpoint.value", ArmTemplate.AsString(passed) ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_protected_group_becomes_an_indexed_setting()
    {
        Assert.Contains("variables('protectedGroupSettings')", settingsExpression, StringComparison.Ordinal);
        var groups = ArmTemplate.AsString(settingsScope.Template["variables"]?["protectedGroupSettings"]) ?? string.Empty;
        Assert.Contains("format('Guards__ProtectedGroups__{0}'", groups, StringComparison.Ordinal);
        Assert.Contains("parameters('protectedGroupIds')", groups, StringComparison.Ordinal);
    }

    [Fact]
    public void Guard_settings_come_from_the_main_parameters()
    {
        Assert.Equal("string(parameters('stormGuardMaxUsers'))", settings["Guards__StormGuard__MaxUsers"]);
        Assert.Equal("if(parameters('dryRun'), 'true', 'false')", settings["Guards__DryRun"]);
        var (maxUsers, _) = ArmTemplate.ResolveFragment("parameters('stormGuardMaxUsers')", settingsScope);
        Assert.Equal(25, maxUsers!.GetValue<int>());
        var (dryRun, _) = ArmTemplate.ResolveFragment("parameters('dryRun')", settingsScope);
        Assert.False(dryRun!.GetValue<bool>());
    }

    [Fact]
    public void Write_backs_are_off_unless_their_parameters_turn_them_on()
    {
        Assert.Contains("variables('writeBackSettings')", settingsExpression, StringComparison.Ordinal);
        var writeBack = settingsScope.Template["variables"]!["writeBackSettings"]!.AsObject()
            .ToDictionary(p => p.Key, p => ArmTemplate.AsString(p.Value), StringComparer.Ordinal);
        Assert.Equal("[if(parameters('sentinelComments'), 'true', 'false')]", writeBack["WriteBack__SentinelComments"]);
        Assert.Equal("[if(parameters('defenderComments'), 'true', 'false')]", writeBack["WriteBack__DefenderComments"]);
        Assert.Equal("[environment().resourceManager]", writeBack["WriteBack__ArmBaseUrl"]);
        Assert.Equal("[if(empty(parameters('managerEmailSender')), 'false', 'true')]", writeBack["Notifications__ManagerEmail__Enabled"]);
        Assert.Equal("[parameters('managerEmailSender')]", writeBack["Notifications__ManagerEmail__Sender"]);
        Assert.Equal("[if(empty(parameters('notificationWebhookKeyVaultUri')), 'false', 'true')]", writeBack["Notifications__Webhook__Enabled"]);

        // Sentinel comments come with the Sentinel workspace (and its role); everything defaults to off.
        var (sentinel, _) = ArmTemplate.ResolveFragment("parameters('sentinelComments')", settingsScope);
        Assert.Equal("[not(empty(parameters('sentinelWorkspaceId')))]", ArmTemplate.AsString(sentinel));
        var main = template.Root.Template["parameters"]!;
        Assert.Equal(string.Empty, main["sentinelWorkspaceId"]?["defaultValue"]?.GetValue<string>());
        var (defender, _) = ArmTemplate.ResolveFragment("parameters('defenderComments')", settingsScope);
        Assert.False(defender!.GetValue<bool>());
        var (sender, _) = ArmTemplate.ResolveFragment("parameters('managerEmailSender')", settingsScope);
        Assert.Equal(string.Empty, ArmTemplate.AsString(sender));
        var (webhook, _) = ArmTemplate.ResolveFragment("parameters('notificationWebhookKeyVaultUri')", settingsScope);
        Assert.Equal(string.Empty, ArmTemplate.AsString(webhook));
    }

    [Fact]
    public void The_webhook_URL_is_only_ever_a_Key_Vault_reference_resolved_as_the_apps_identity()
    {
        // The URL carries its own credential: the template holds a Key Vault URI, never the URL.
        Assert.Contains("variables('webhookUrlSetting')", settingsExpression, StringComparison.Ordinal);
        Assert.Equal(
            "[if(empty(parameters('notificationWebhookKeyVaultUri')), createObject(), createObject('Notifications__Webhook__Url', "
            + "format('@Microsoft.KeyVault(SecretUri={0})', parameters('notificationWebhookKeyVaultUri'))))]",
            ArmTemplate.AsString(settingsScope.Template["variables"]!["webhookUrlSetting"]));
        var site = template.SingleOfType("Microsoft.Web/sites");
        Assert.Equal("[parameters('identityId')]", ArmTemplate.AsString(site.Properties?["keyVaultReferenceIdentity"]));
    }

    private string StorageTableEndpointOutput()
    {
        var root = settingsScope;
        while (root.Parent is not null)
            root = root.Parent;
        var storage = root.Resources.Single(r => r["name"]?.GetValue<string>() == "storage");
        return storage["properties"]!["template"]!["outputs"]!["tableEndpoint"]!["value"]!.GetValue<string>();
    }

    private string? Literal(string name)
    {
        Assert.Contains(name, settings.Keys);
        var raw = settings[name];
        if (ArmExpression.StringLiteral(raw) is { } literal)
            return literal;
        var (value, _) = ArmTemplate.ResolveFragment(raw, settingsScope);
        return ArmTemplate.AsString(value);
    }

    [GeneratedRegex("(?i)(AccountKey=|SharedAccessKey|SharedAccessSignature|DefaultEndpointsProtocol|[?&]sig=|\\bsecret|password|listKeys)")]
    private static partial Regex SecretLooking();
}
