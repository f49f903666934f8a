using System.Text.Json.Nodes;

namespace RevokeFunctions.Infra.Tests;

/// <summary>
/// The hardening Microsoft's Flex templates offer: an optional virtual network with private endpoints for Storage and
/// Service Bus (vnetEnabled), and diagnostic settings of Service Bus, Storage and the app into the Log Analytics
/// workspace.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class NetworkAndDiagnosticsTests(CompiledTemplateFixture fixture)
{
    private const string VnetCondition = "[parameters('vnetEnabled')]";

    private readonly ArmTemplate template = fixture.Template;

    [Fact]
    public void The_virtual_network_is_off_by_default_and_azd_can_turn_it_on()
    {
        var parameter = template.Root.Template["parameters"]!["vnetEnabled"]!;
        Assert.Equal("bool", parameter["type"]!.GetValue<string>());
        Assert.False(parameter["defaultValue"]!.GetValue<bool>());
        var parameters = JsonNode.Parse(Repository.ReadAllText("infra", "main.parameters.json"))!["parameters"]!;
        Assert.Equal("${VNET_ENABLED=false}", parameters["vnetEnabled"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void The_network_has_a_subnet_delegated_to_Flex_Consumption_and_one_for_private_endpoints()
    {
        var vnet = template.SingleOfType("Microsoft.Network/virtualNetworks");
        Assert.Equal(VnetCondition, vnet.Scope.Deployment!["condition"]!.GetValue<string>());
        var subnets = vnet.Properties!["subnets"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var app = subnets.Single(s => s["name"]!.GetValue<string>() == "app");
        Assert.Equal("Microsoft.App/environments", app["properties"]!["delegations"]![0]!["properties"]!["serviceName"]!.GetValue<string>());
        Assert.Contains(subnets, s => s["name"]!.GetValue<string>() == "private-endpoints");
    }

    [Fact]
    public void The_app_joins_the_app_subnet_only_when_the_network_is_on()
    {
        var site = template.OfType("Microsoft.Web/sites").Single(s => s.Properties?["serverFarmId"] is not null);
        Assert.Equal("[if(empty(parameters('virtualNetworkSubnetId')), null(), parameters('virtualNetworkSubnetId'))]",
            ArmTemplate.AsString(site.Properties!["virtualNetworkSubnetId"]));
        // function-app <- api <- main: main passes the network module's app subnet when vnetEnabled, else ''.
        Assert.Equal("[parameters('virtualNetworkSubnetId')]",
            ArmTemplate.AsString(site.Scope.Deployment!["properties"]!["parameters"]!["virtualNetworkSubnetId"]!["value"]));
        var expression = site.Scope.Parent!.Deployment!["properties"]!["parameters"]!["virtualNetworkSubnetId"]!.GetValue<string>();
        Assert.Contains("if(parameters('vnetEnabled'), ", expression, StringComparison.Ordinal);
        Assert.Contains("createObject('value', '')", expression, StringComparison.Ordinal);
        Assert.Contains("'network'", expression, StringComparison.Ordinal);
        Assert.Contains("appSubnetId", expression, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_gets_private_endpoints_for_blob_queue_and_table_with_this_clouds_zones()
    {
        var module = template.Root.Resources.Single(r => r["copy"]?["name"]?.GetValue<string>() == "storagePrivateEndpoint");
        Assert.Equal(VnetCondition, module["condition"]!.GetValue<string>());
        Assert.Equal(["blob", "queue", "table"], template.Root.Template["variables"]!["storagePrivateEndpoints"]!.AsArray().Select(v => v!.GetValue<string>()));
        var parameters = module["properties"]!["parameters"]!;
        Assert.Equal("[variables('storagePrivateEndpoints')[copyIndex()]]", parameters["groupId"]!["value"]!.GetValue<string>());
        Assert.Equal("[format('privatelink.{0}.{1}', variables('storagePrivateEndpoints')[copyIndex()], environment().suffixes.storage)]",
            parameters["privateDnsZoneName"]!["value"]!.GetValue<string>());
        Assert.Contains("'storage'), '2025-04-01').outputs.id.value", parameters["targetResourceId"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Service_bus_gets_a_private_endpoint_with_the_zone_of_its_own_host_suffix()
    {
        var module = template.Root.Resources.Single(r => r["name"]?.GetValue<string>() == "pe-servicebus");
        Assert.Equal(VnetCondition, module["condition"]!.GetValue<string>());
        var parameters = module["properties"]!["parameters"]!;
        Assert.Equal("namespace", parameters["groupId"]!["value"]!.GetValue<string>());
        var zone = parameters["privateDnsZoneName"]!["value"]!.GetValue<string>();
        Assert.StartsWith("[format('privatelink.{0}', join(skip(split(", zone, StringComparison.Ordinal);
        Assert.Contains("outputs.fullyQualifiedNamespace.value", zone, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_private_endpoint_registers_in_its_zone_linked_to_the_network()
    {
        Assert.Equal(2, template.OfType("Microsoft.Network/privateEndpoints").Count());
        foreach (var endpoint in template.OfType("Microsoft.Network/privateEndpoints"))
        {
            var connection = endpoint.Properties!["privateLinkServiceConnections"]![0]!["properties"]!;
            Assert.Equal("[parameters('targetResourceId')]", ArmTemplate.AsString(connection["privateLinkServiceId"]));
            Assert.Equal("[parameters('groupId')]", ArmTemplate.AsString(connection["groupIds"]![0]));
            Assert.Equal("[parameters('subnetId')]", ArmTemplate.AsString(endpoint.Properties!["subnet"]!["id"]));
        }
        Assert.All(template.OfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks"), link =>
        {
            Assert.False(link.Properties!["registrationEnabled"]!.GetValue<bool>());
            Assert.Equal("[parameters('virtualNetworkId')]", ArmTemplate.AsString(link.Properties!["virtualNetwork"]!["id"]));
        });
        Assert.Equal(2, template.OfType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups").Count());
    }

    [Fact]
    public void With_the_network_on_storage_and_service_bus_refuse_public_traffic()
    {
        var storage = template.SingleOfType("Microsoft.Storage/storageAccounts");
        Assert.Equal("[if(parameters('privateOnly'), 'Disabled', 'Enabled')]", ArmTemplate.AsString(storage.Properties!["publicNetworkAccess"]));
        Assert.Equal("[if(parameters('privateOnly'), 'Deny', 'Allow')]", ArmTemplate.AsString(storage.Properties!["networkAcls"]!["defaultAction"]));
        Assert.Equal("[parameters('vnetEnabled')]", ArmTemplate.AsString(storage.Scope.Deployment!["properties"]!["parameters"]!["privateOnly"]!["value"]));

        var ns = template.SingleOfType("Microsoft.ServiceBus/namespaces");
        Assert.Equal("[if(parameters('privateOnly'), 'Disabled', 'Enabled')]", ArmTemplate.AsString(ns.Properties!["publicNetworkAccess"]));
        Assert.Equal("[parameters('vnetEnabled')]", ArmTemplate.AsString(ns.Scope.Deployment!["properties"]!["parameters"]!["privateOnly"]!["value"]));
        // Private endpoints exist on Premium alone: the private namespace is Premium, the default one Standard.
        var sku = ArmTemplate.AsString(ns.Resource["sku"]) ?? string.Empty;
        Assert.StartsWith("[if(parameters('privateOnly'), createObject('name', 'Premium', 'tier', 'Premium', 'capacity', 1), createObject('name', 'Standard', 'tier', 'Standard'))]", sku, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Microsoft.ServiceBus/namespaces", "categoryGroup", "allLogs")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices", "categoryGroup", "allLogs")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices", "categoryGroup", "allLogs")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices", "categoryGroup", "allLogs")]
    [InlineData("Microsoft.Web/sites", "category", "FunctionAppLogs")]
    public void Logs_go_to_the_workspace(string resourceType, string property, string category)
    {
        var setting = DiagnosticSettingOn(resourceType);
        var log = Assert.Single(setting.Properties!["logs"]!.AsArray());
        Assert.Equal(category, log![property]!.GetValue<string>());
        Assert.True(log["enabled"]!.GetValue<bool>());
        AssertWorkspaceIsTheDeploymentsOwn(setting);
    }

    [Theory]
    [InlineData("Microsoft.ServiceBus/namespaces", "AllMetrics")]
    [InlineData("Microsoft.Storage/storageAccounts", "Transaction")]
    public void Metrics_go_to_the_workspace(string resourceType, string category)
    {
        var setting = DiagnosticSettingOn(resourceType);
        Assert.Equal(category, setting.Properties!["metrics"]![0]!["category"]!.GetValue<string>());
        AssertWorkspaceIsTheDeploymentsOwn(setting);
    }

    private ScopedResource DiagnosticSettingOn(string resourceType) =>
        Assert.Single(template.OfType("Microsoft.Insights/diagnosticSettings"),
            s => ArmTemplate.AsString(s.Resource["scope"])!.StartsWith($"[resourceId('{resourceType}', ", StringComparison.Ordinal));

    /// <summary>The workspaceId is, through every module, the log-analytics module's output.</summary>
    private static void AssertWorkspaceIsTheDeploymentsOwn(ScopedResource setting)
    {
        Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", ArmTemplate.AsString(setting.Properties!["workspaceId"]));
        var (value, _) = ArmTemplate.ResolveFragment("parameters('logAnalyticsWorkspaceId')", setting.Scope);
        Assert.Contains("'log-analytics'), '2025-04-01').outputs.id.value", ArmTemplate.AsString(value), StringComparison.Ordinal);
    }
}
