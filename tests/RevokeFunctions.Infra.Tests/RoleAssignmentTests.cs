using System.Text.RegularExpressions;

namespace RevokeFunctions.Infra.Tests;

/// <summary>
/// Azure RBAC: exactly the roles the app needs, each on the one resource it is for; Microsoft Sentinel Responder on the
/// Sentinel workspace only when the deployment names one.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed partial class RoleAssignmentTests(CompiledTemplateFixture fixture)
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataOwner = "090c5cfd-751d-490a-894a-3ce6f1109419";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string MicrosoftSentinelResponder = "3e150937-b8fe-4cfb-8069-0eaf05ecd056";

    private readonly IReadOnlyList<ScopedResource> assignments =
        fixture.Template.OfType("Microsoft.Authorization/roleAssignments").ToList();

    [Fact]
    public void Every_assignment_is_scoped_to_a_resource_never_a_resource_group_or_subscription()
    {
        Assert.NotEmpty(assignments);
        foreach (var assignment in assignments)
        {
            var scope = ArmTemplate.AsString(assignment.Resource["scope"]);
            Assert.False(string.IsNullOrWhiteSpace(scope), $"{assignment} has no scope: it would apply to the whole resource group or subscription.");
            Assert.DoesNotContain("subscription()", scope, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("resourceGroup()", scope, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Microsoft.Resources/resourceGroups", scope, StringComparison.OrdinalIgnoreCase);
            Assert.False(ScopeType(scope!) is null, $"{assignment}: scope {scope} is not one of the app's resources.");
        }
        // Nothing at the root (subscription) level either.
        Assert.DoesNotContain(assignments, a => a.Scope.Deployment is null);
    }

    [Fact]
    public void Exactly_the_needed_roles_on_each_resource()
    {
        var actual = assignments.Where(a => !IsConditional(a))
            .Select(a => $"{ScopeType(ArmTemplate.AsString(a.Resource["scope"])!)} {RoleGuid(a)}")
            .Order(StringComparer.Ordinal)
            .ToList();
        string[] expected =
        [
            $"Microsoft.Insights/components {MonitoringMetricsPublisher}",
            $"Microsoft.ServiceBus/namespaces/queues {ServiceBusDataReceiver}",
            $"Microsoft.ServiceBus/namespaces/queues {ServiceBusDataSender}",
            $"Microsoft.ServiceBus/namespaces/queues {ServiceBusDataOwner}",
            $"Microsoft.Storage/storageAccounts {StorageBlobDataOwner}",
            $"Microsoft.Storage/storageAccounts {StorageTableDataContributor}",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual);
    }

    [Fact]
    public void Sentinel_responder_on_the_workspace_only_when_a_Sentinel_workspace_is_named()
    {
        var conditional = Assert.Single(assignments, IsConditional);
        Assert.Equal($"Microsoft.OperationalInsights/workspaces {MicrosoftSentinelResponder}",
            $"{ScopeType(ArmTemplate.AsString(conditional.Resource["scope"])!)} {RoleGuid(conditional)}");

        // The module's condition is the Sentinel workspace parameter, empty by default: no role unless it is set.
        var module = conditional.Scope.Deployment!;
        Assert.Equal("[not(empty(parameters('sentinelWorkspaceId')))]", module["condition"]?.GetValue<string>());
        Assert.Equal(string.Empty, fixture.Template.Root.Template["parameters"]?["sentinelWorkspaceId"]?["defaultValue"]?.GetValue<string>());
        // It is deployed at the workspace's resource group, taken from the workspace's resource ID.
        Assert.Contains("variables('sentinelWorkspace')[2]", module["subscriptionId"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("variables('sentinelWorkspace')[4]", module["resourceGroup"]?.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StorageQueueDataContributor)] // no storage queue trigger, no Durable Functions
    [InlineData("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")] // Owner
    [InlineData("b24988ac-6180-42a0-ab88-20f7382dd24c")] // Contributor
    [InlineData("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9")] // User Access Administrator
    public void Role_is_not_granted(string roleGuid) =>
        Assert.DoesNotContain(assignments, a => string.Equals(RoleGuid(a), roleGuid, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void The_scaler_gets_the_Manage_right_on_the_queue_alone()
    {
        // Target-based scaling reads the queue's message count, which Service Bus answers only with Manage: Data Owner,
        // scoped to the one queue, never the namespace.
        var owner = Assert.Single(assignments, a => RoleGuid(a) == ServiceBusDataOwner);
        Assert.Equal("Microsoft.ServiceBus/namespaces/queues", ScopeType(ArmTemplate.AsString(owner.Resource["scope"])!));
        var rbac = Repository.ReadAllText("infra", "app", "rbac.bicep");
        Assert.Contains("Manage", rbac, StringComparison.Ordinal);
        Assert.Contains("scale", rbac, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Assignments_go_to_the_user_assigned_identity_as_a_service_principal()
    {
        foreach (var assignment in assignments)
        {
            Assert.Equal("ServicePrincipal", ArmTemplate.AsString(assignment.Properties?["principalType"]));
            var principal = ArmTemplate.AsString(assignment.Properties?["principalId"]) ?? string.Empty;
            Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", principal, StringComparison.Ordinal);
            Assert.EndsWith(".principalId]", principal, StringComparison.Ordinal);
        }
    }

    private static string? ScopeType(string scope)
    {
        string[] allowed =
        [
            "Microsoft.Storage/storageAccounts",
            "Microsoft.ServiceBus/namespaces/queues",
            "Microsoft.ServiceBus/namespaces",
            "Microsoft.Insights/components",
            "Microsoft.OperationalInsights/workspaces",
        ];
        var match = ScopeResource().Match(scope);
        if (!match.Success)
            return null;
        return allowed.FirstOrDefault(t => string.Equals(t, match.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Declared in a module (or a module of a module) that is deployed only under a condition.</summary>
    private static bool IsConditional(ScopedResource assignment)
    {
        for (var scope = assignment.Scope; scope.Deployment is not null; scope = scope.Parent!)
        {
            if (scope.Deployment["condition"] is not null)
                return true;
        }
        return false;
    }

    private static string RoleGuid(ScopedResource assignment)
    {
        var definition = ArmTemplate.AsString(assignment.Properties?["roleDefinitionId"]) ?? string.Empty;
        var call = ArmExpression.Calls(definition, "subscriptionResourceId").Single();
        Assert.Equal("'Microsoft.Authorization/roleDefinitions'", call[0]);
        var literal = ArmExpression.StringLiteral(call[1]);
        if (literal is not null)
            return literal;
        var (value, _) = ArmTemplate.ResolveFragment(call[1], assignment.Scope);
        return ArmTemplate.AsString(value) ?? throw new InvalidOperationException($"Cannot resolve the role of {assignment}: {call[1]}");
    }

    // [resourceId('Microsoft.X/y', ...)] or [format('Microsoft.X/y/{0}', ...)] as Bicep emits for `scope: resource`.
    [GeneratedRegex(@"^\[(?:resourceId|extensionResourceId|format)\('(Microsoft\.[A-Za-z]+/[A-Za-z]+(?:/[A-Za-z]+)?)['/]")]
    private static partial Regex ScopeResource();
}
