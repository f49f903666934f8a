using System.Text.RegularExpressions;

namespace RevokeFunctions.Infra.Tests;

/// <summary>No key, SAS or connection string with a secret anywhere in the compiled template.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed partial class TemplateSecretsTests(CompiledTemplateFixture fixture)
{
    private readonly ArmTemplate template = fixture.Template;

    [Fact]
    public void Build_reports_no_warning_or_error()
    {
        Assert.Equal(0, fixture.Build.ExitCode);
        Assert.Empty(fixture.Build.DiagnosticLines);
    }

    [Theory]
    [InlineData("listKeys")]
    [InlineData("listConnectionStrings")]
    [InlineData("listAccountSas")]
    [InlineData("listServiceSas")]
    [InlineData("listCredentials")]
    [InlineData("listSecrets")]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessKey")]
    [InlineData("SharedAccessSignature")]
    [InlineData("DefaultEndpointsProtocol")]
    public void Template_never_mentions(string forbidden) =>
        Assert.DoesNotContain(forbidden, template.Json, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Template_calls_no_list_function()
    {
        // list*() is how a template reads keys and connection strings; none is needed with managed identities.
        var calls = ListFunctionCall().Matches(template.Json).Select(m => m.Value).Distinct().ToList();
        Assert.Empty(calls);
    }

    [Fact]
    public void No_parameter_is_a_secret_or_named_like_one()
    {
        foreach (var scope in template.Scopes)
        {
            var parameters = scope.Template["parameters"]?.AsObject() ?? [];
            foreach (var (name, definition) in parameters)
            {
                var type = definition?["type"]?.GetValue<string>() ?? string.Empty;
                Assert.False(type.StartsWith("secure", StringComparison.OrdinalIgnoreCase), $"{scope.DeploymentName}: parameter {name} is {type}");
                Assert.DoesNotMatch(SecretName(), name);
            }
        }
    }

    [Fact]
    public void Outputs_are_names_ids_and_endpoints_only()
    {
        foreach (var scope in template.Scopes)
        {
            var outputs = scope.Template["outputs"]?.AsObject() ?? [];
            foreach (var (name, output) in outputs)
            {
                Assert.DoesNotMatch(SecretName(), name);
                var type = output?["type"]?.GetValue<string>() ?? string.Empty;
                Assert.False(type.StartsWith("secure", StringComparison.OrdinalIgnoreCase), $"{scope.DeploymentName}: output {name} is {type}");
                var value = output?["value"]?.ToJsonString() ?? string.Empty;
                Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("InstrumentationKey", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotMatch(ListFunctionCall(), value);
            }
        }
    }

    [Theory]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("AZURE_MANAGED_IDENTITY_PRINCIPAL_ID")]
    [InlineData("AZURE_MANAGED_IDENTITY_CLIENT_ID")]
    [InlineData("SERVICEBUS_NAMESPACE")]
    [InlineData("LEDGER_TABLE_ENDPOINT")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    public void Main_outputs(string name) =>
        Assert.NotNull(template.Root.Template["outputs"]?[name]);

    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunctionCall();

    [GeneratedRegex("(?i)(password|secret|accountkey|accesskey|sas(token)?$|connectionstring|instrumentationkey)")]
    private static partial Regex SecretName();
}
