using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RevokeFunctions.Infra.Tests;

/// <summary>One template in the compiled tree: the root, or the inline template of a nested deployment (module).</summary>
public sealed class TemplateScope
{
    public TemplateScope(JsonObject template, JsonObject? deployment, TemplateScope? parent)
    {
        Template = template;
        Deployment = deployment;
        Parent = parent;
    }

    public JsonObject Template { get; }

    /// <summary>The Microsoft.Resources/deployments resource that holds this template; null for the root.</summary>
    public JsonObject? Deployment { get; }

    public TemplateScope? Parent { get; }

    public string DeploymentName => Deployment?["name"]?.GetValue<string>() ?? "(root)";

    /// <summary>Resources of this template (array form, or the symbolic-name object of languageVersion 2.0).</summary>
    public IEnumerable<JsonObject> Resources => Template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };
}

/// <summary>A resource and the template it is declared in.</summary>
public sealed record ScopedResource(JsonObject Resource, TemplateScope Scope)
{
    public string Type => Resource["type"]!.GetValue<string>();

    public string Name => Resource["name"]?.GetValue<string>() ?? string.Empty;

    public JsonNode? Properties => Resource["properties"];

    public override string ToString() => $"{Type} '{Name}' in {Scope.DeploymentName}";
}

/// <summary>The compiled ARM JSON of infra/main.bicep, walked through every nested deployment.</summary>
public sealed partial class ArmTemplate
{
    public ArmTemplate(string json)
    {
        Json = json;
        Root = new TemplateScope(
            JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("The template is not a JSON object."),
            deployment: null,
            parent: null);
        Scopes = Walk(Root).ToList();
        Resources = Scopes.SelectMany(s => s.Resources.Select(r => new ScopedResource(r, s))).ToList();
    }

    public string Json { get; }

    public TemplateScope Root { get; }

    public IReadOnlyList<TemplateScope> Scopes { get; }

    public IReadOnlyList<ScopedResource> Resources { get; }

    public IEnumerable<ScopedResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public ScopedResource SingleOfType(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"Expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>
    /// Follows pure references, <c>[parameters('x')]</c> (to the value the enclosing module passes, else the default)
    /// and <c>[variables('x').a.b]</c>, until a value that is not one is left. Anything else is returned as is.
    /// </summary>
    public static (JsonNode? Value, TemplateScope Scope) Resolve(JsonNode? node, TemplateScope scope)
    {
        for (var hops = 0; hops < 32; hops++)
        {
            if (node is not JsonValue value || !value.TryGetValue<string>(out var text) || ArmExpression.Body(text) is not { } body)
                return (node, scope);

            var parameter = ParameterReference().Match(body);
            if (parameter.Success)
            {
                var name = parameter.Groups[1].Value;
                var passed = scope.Deployment?["properties"]?["parameters"]?[name];
                if (passed is not null)
                {
                    node = passed["value"];
                    scope = scope.Parent!;
                }
                else
                {
                    node = scope.Template["parameters"]?[name]?["defaultValue"];
                }
                continue;
            }

            var variable = VariableReference().Match(body);
            if (variable.Success)
            {
                var resolved = scope.Template["variables"]?[variable.Groups[1].Value];
                foreach (var segment in variable.Groups[2].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
                    resolved = resolved?[segment];
                node = resolved;
                continue;
            }
            return (node, scope);
        }
        throw new InvalidOperationException("Reference chain too long.");
    }

    /// <summary>Resolves an expression fragment such as <c>parameters('queueName')</c> taken out of a larger expression.</summary>
    public static (JsonNode? Value, TemplateScope Scope) ResolveFragment(string fragment, TemplateScope scope) =>
        Resolve(JsonValue.Create($"[{fragment}]"), scope);

    public static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static IEnumerable<TemplateScope> Walk(TemplateScope scope)
    {
        yield return scope;
        foreach (var resource in scope.Resources)
        {
            if (resource["type"]?.GetValue<string>() == "Microsoft.Resources/deployments"
                && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Walk(new TemplateScope(nested, resource, scope)))
                    yield return inner;
            }
        }
    }

    [GeneratedRegex(@"^parameters\('([^']+)'\)$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^variables\('([^']+)'\)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$")]
    private static partial Regex VariableReference();
}
