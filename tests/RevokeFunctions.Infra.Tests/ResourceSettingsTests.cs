using System.Text.Json.Nodes;

namespace RevokeFunctions.Infra.Tests;

/// <summary>Security and behaviour settings of each resource, read from the compiled template.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class ResourceSettingsTests(CompiledTemplateFixture fixture)
{
    private readonly ArmTemplate template = fixture.Template;

    [Fact]
    public void Storage_account_accepts_no_shared_key_and_no_public_blobs()
    {
        var storage = template.SingleOfType("Microsoft.Storage/storageAccounts");
        Assert.False(Value(storage, "allowSharedKeyAccess")!.GetValue<bool>());
        Assert.False(Value(storage, "allowBlobPublicAccess")!.GetValue<bool>());
        Assert.Equal("TLS1_2", Text(storage, "minimumTlsVersion"));
        Assert.True(Value(storage, "supportsHttpsTrafficOnly")!.GetValue<bool>());
    }

    [Fact]
    public void Storage_has_the_ledger_table_and_a_deployment_container()
    {
        var table = template.SingleOfType("Microsoft.Storage/storageAccounts/tableServices/tables");
        var (tableName, _) = ArmTemplate.ResolveFragment("parameters('ledgerTableName')", table.Scope);
        Assert.Equal("revocations", ArmTemplate.AsString(tableName));

        var container = template.SingleOfType("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", Text(container, "publicAccess"));
    }

    [Fact]
    public void Service_bus_accepts_entra_id_only()
    {
        var ns = template.SingleOfType("Microsoft.ServiceBus/namespaces");
        Assert.True(Value(ns, "disableLocalAuth")!.GetValue<bool>());
        Assert.Equal("1.2", Text(ns, "minimumTlsVersion"));
        // Standard unless the namespace must be private (Premium: see NetworkAndDiagnosticsTests).
        Assert.EndsWith(", createObject('name', 'Standard', 'tier', 'Standard'))]", ArmTemplate.AsString(ns.Resource["sku"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Revocation_queue_settings()
    {
        var queue = template.SingleOfType("Microsoft.ServiceBus/namespaces/queues");
        var (name, _) = ArmTemplate.ResolveFragment("parameters('queueName')", queue.Scope);
        Assert.Equal("revocations", ArmTemplate.AsString(name));
        Assert.True(Value(queue, "deadLetteringOnMessageExpiration")!.GetValue<bool>());
        Assert.Equal(10, Value(queue, "maxDeliveryCount")!.GetValue<int>());
        Assert.Equal("PT2M", Text(queue, "lockDuration"));
        Assert.Equal("P14D", Text(queue, "defaultMessageTimeToLive"));
        Assert.True(Value(queue, "requiresDuplicateDetection")!.GetValue<bool>());
        Assert.Equal("PT1H", Text(queue, "duplicateDetectionHistoryTimeWindow"));
    }

    [Fact]
    public void Application_insights_is_workspace_based_without_local_auth()
    {
        var insights = template.SingleOfType("Microsoft.Insights/components");
        Assert.True(Value(insights, "DisableLocalAuth")!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(Text(insights, "WorkspaceResourceId")));

        var workspace = template.SingleOfType("Microsoft.OperationalInsights/workspaces");
        Assert.True(workspace.Properties?["features"]?["disableLocalAuth"]?.GetValue<bool>());
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10_on_flex_consumption()
    {
        var plan = template.SingleOfType("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", ArmTemplate.AsString(plan.Resource["sku"]?["name"]));
        Assert.Equal("FlexConsumption", ArmTemplate.AsString(plan.Resource["sku"]?["tier"]));

        var app = FunctionApp();
        var config = app.Properties?["functionAppConfig"];
        Assert.Equal("dotnet-isolated", Resolved(config?["runtime"]?["name"], app.Scope));
        Assert.Equal("10.0", Resolved(config?["runtime"]?["version"], app.Scope));

        var storage = config?["deployment"]?["storage"];
        Assert.Equal("blobContainer", ArmTemplate.AsString(storage?["type"]));
        Assert.Equal("UserAssignedIdentity", ArmTemplate.AsString(storage?["authentication"]?["type"]));
        Assert.Null(storage?["authentication"]?["storageAccountConnectionStringName"]);
    }

    [Fact]
    public void Function_app_is_https_only_with_tls_1_2_and_a_user_assigned_identity_only()
    {
        var app = FunctionApp();
        Assert.True(Value(app, "httpsOnly")!.GetValue<bool>());
        Assert.Equal("1.2", ArmTemplate.AsString(app.Properties?["siteConfig"]?["minTlsVersion"]));
        Assert.Equal("UserAssigned", ArmTemplate.AsString(app.Resource["identity"]?["type"]));

        // azd finds the service's resource through this tag.
        var tags = ArmTemplate.AsString(ArmTemplate.Resolve(app.Resource["tags"], app.Scope).Value) ?? string.Empty;
        Assert.Equal("'api'", ArmExpression.CreateObjectPairs(tags)["azd-service-name"]);
    }

    [Fact]
    public void Flex_site_sets_no_ftpsState_which_ARM_refuses_on_Flex_Consumption()
    {
        // ARM error 51021 in some regions; FTP is off through the ftp basic-publishing-credentials policy instead.
        var site = FunctionApp().Properties!;
        Assert.NotNull(site["siteConfig"]);
        Assert.Null(site["siteConfig"]!["ftpsState"]);
        Assert.DoesNotContain("\"ftpsState\"", template.Json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Maximum_instance_count_is_bounded_like_the_platform()
    {
        var app = FunctionApp();
        var maximum = app.Properties?["functionAppConfig"]?["scaleAndConcurrency"]?["maximumInstanceCount"];
        Assert.Equal("[parameters('maximumInstanceCount')]", ArmTemplate.AsString(maximum));
        var parameter = app.Scope.Template["parameters"]!["maximumInstanceCount"]!;
        // Flex Consumption refuses a maximum below 40 or above 1000: so does the template, before ARM is asked.
        Assert.Equal(40, parameter["minValue"]?.GetValue<int>());
        Assert.Equal(1000, parameter["maxValue"]?.GetValue<int>());
        var value = ArmTemplate.Resolve(maximum, app.Scope).Value!.GetValue<int>();
        Assert.InRange(value, 40, 1000);
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("scm")]
    public void Basic_auth_publishing_is_disabled(string kind)
    {
        var policy = template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .SingleOrDefault(p => p.Name.Contains($"'{kind}'", StringComparison.Ordinal));
        Assert.NotNull(policy);
        Assert.False(Value(policy, "allow")!.GetValue<bool>());
    }

    [Fact]
    public void App_service_authentication_validates_entra_tokens_and_returns_401()
    {
        var auth = template.OfType("Microsoft.Web/sites/config")
            .Single(r => r.Name.Contains("authsettingsV2", StringComparison.Ordinal));
        var properties = auth.Properties!;
        Assert.True(properties["platform"]?["enabled"]?.GetValue<bool>());
        Assert.True(properties["globalValidation"]?["requireAuthentication"]?.GetValue<bool>());
        Assert.Equal("Return401", ArmTemplate.AsString(properties["globalValidation"]?["unauthenticatedClientAction"]));

        var aad = properties["identityProviders"]?["azureActiveDirectory"];
        Assert.NotNull(aad);
        Assert.Null(aad["registration"]?["clientSecretSettingName"]);
        Assert.Null(aad["registration"]?["clientSecretCertificateThumbprint"]);
        // The client ID is main.bicep's apiAppClientId, empty unless azd passes API_APP_CLIENT_ID.
        Assert.Equal(string.Empty, Resolved(aad["registration"]?["clientId"], auth.Scope));
        Assert.NotNull(template.Root.Template["parameters"]?["apiAppClientId"]);
        // The identifier URI (v1.0 tokens) and the bare client ID (v2.0 tokens, which configure-api-app asks for).
        Assert.Equal("[if(variables('providerEnabled'), createArray(format('api://{0}', parameters('clientId')), parameters('clientId')), createArray())]",
            ArmTemplate.AsString(aad["validation"]?["allowedAudiences"]));
        Assert.Contains("environment().authentication.loginEndpoint", ArmTemplate.AsString(aad["registration"]?["openIdIssuer"]), StringComparison.Ordinal);
    }

    private ScopedResource FunctionApp() =>
        template.OfType("Microsoft.Web/sites").Single(s => Text(s, "serverFarmId") is not null && s.Resource["kind"]?.GetValue<string>()?.Contains("functionapp", StringComparison.Ordinal) == true);

    private static JsonNode? Value(ScopedResource resource, string property) =>
        ArmTemplate.Resolve(resource.Properties?[property], resource.Scope).Value;

    private static string? Text(ScopedResource resource, string property) => ArmTemplate.AsString(Value(resource, property));

    private static string? Resolved(JsonNode? node, TemplateScope scope) => ArmTemplate.AsString(ArmTemplate.Resolve(node, scope).Value);
}
