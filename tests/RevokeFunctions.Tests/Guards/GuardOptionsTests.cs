using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RevokeFunctions.Guards;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Guards;

/// <summary>The <c>Guards</c> section: binding (appsettings and environment variables) and start-up validation.</summary>
public sealed class GuardOptionsTests
{
    private static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGuards(configuration);
        return services.BuildServiceProvider();
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    /// <summary>What the host does at start-up for <c>ValidateOnStart</c>.</summary>
    private static void ValidateOnStart(ServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public void Defaults_are_the_documented_ones_and_valid()
    {
        using var services = Build([]);

        ValidateOnStart(services);
        var options = services.GetRequiredService<IOptions<GuardOptions>>().Value;

        Assert.Equal(100, options.MaxTargets);
        Assert.False(options.DryRun);
        Assert.Empty(options.ProtectedAccounts);
        Assert.Empty(options.ProtectedGroups);
        Assert.Equal(25, options.StormGuard.MaxUsers);
        Assert.Equal(TimeSpan.FromMinutes(10), options.StormGuard.Window);
        Assert.Equal(200, options.StormGuard.LeaverMaxUsers);
        Assert.Equal("StormGuard", options.StormGuard.TableName);
        Assert.False(options.AllowFunctionKeyCallers);
        Assert.Equal(UserNameLogging.Hashed, options.LogUserPrincipalNames);
    }

    [Fact]
    public void Environment_variables_with_double_underscores_bind_lists_and_nested_values()
    {
        // A unique prefix keeps this test's variables away from every other test running in the process.
        var prefix = $"GUARDTEST{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            ["Guards__ProtectedGroups__0"] = "6be4fb7f-3426-4ac5-bb93-6996eb9b05ba",
            ["Guards__ProtectedAccounts__0"] = FixtureUsers.Ruth,
            ["Guards__ProtectedAccounts__1"] = "break.glass@contoso.com",
            ["Guards__StormGuard__MaxUsers"] = "7",
            ["Guards__StormGuard__Window"] = "00:05:00",
            ["Guards__StormGuard__LeaverMaxUsers"] = "300",
            ["Guards__LogUserPrincipalNames"] = "Clear",
        };
        try
        {
            foreach (var (name, value) in variables)
                Environment.SetEnvironmentVariable(prefix + name, value);
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            using var services = Build(configuration);

            ValidateOnStart(services);
            var options = services.GetRequiredService<IOptions<GuardOptions>>().Value;

            Assert.Equal(["6be4fb7f-3426-4ac5-bb93-6996eb9b05ba"], options.ProtectedGroups);
            Assert.Equal([FixtureUsers.Ruth, "break.glass@contoso.com"], options.ProtectedAccounts);
            Assert.Equal(7, options.StormGuard.MaxUsers);
            Assert.Equal(TimeSpan.FromMinutes(5), options.StormGuard.Window);
            Assert.Equal(300, options.StormGuard.LeaverMaxUsers);
            Assert.Equal(UserNameLogging.Clear, options.LogUserPrincipalNames);
        }
        finally
        {
            foreach (var name in variables.Keys)
                Environment.SetEnvironmentVariable(prefix + name, null);
        }
    }

    [Theory]
    [InlineData("Guards:ProtectedGroups:0", "not-a-guid", "Guards:ProtectedGroups:0")]
    [InlineData("Guards:ProtectedGroups:0", "00000000-0000-0000-0000-000000000000", "Guards:ProtectedGroups:0")]
    [InlineData("Guards:ProtectedGroups:0", "ruth.ellison@contoso.com", "Guards:ProtectedGroups:0")]
    [InlineData("Guards:ProtectedAccounts:0", "ruth ellison", "Guards:ProtectedAccounts:0")]
    [InlineData("Guards:ProtectedAccounts:0", "ruth@", "Guards:ProtectedAccounts:0")]
    [InlineData("Guards:ProtectedAccounts:0", "users/ruth@contoso.com", "Guards:ProtectedAccounts:0")]
    [InlineData("Guards:StormGuard:MaxUsers", "0", "Guards:StormGuard:MaxUsers")]
    [InlineData("Guards:StormGuard:MaxUsers", "-5", "Guards:StormGuard:MaxUsers")]
    [InlineData("Guards:StormGuard:MaxUsers", "501", "Guards:StormGuard:MaxUsers")]
    [InlineData("Guards:StormGuard:LeaverMaxUsers", "0", "Guards:StormGuard:LeaverMaxUsers")]
    [InlineData("Guards:StormGuard:Window", "00:00:00", "Guards:StormGuard:Window")]
    [InlineData("Guards:StormGuard:Window", "-00:10:00", "Guards:StormGuard:Window")]
    [InlineData("Guards:StormGuard:Window", "2.00:00:00", "Guards:StormGuard:Window")]
    [InlineData("Guards:StormGuard:TableName", "storm-guard", "Guards:StormGuard:TableName")]
    [InlineData("Guards:MaxTargets", "0", "MaxTargets")]
    [InlineData("Guards:AllowFunctionKeyCallers", "true", "Guards:AllowFunctionKeyCallers is no longer supported")]
    public void A_bad_value_stops_start_up_with_a_message_naming_the_setting(string key, string value, string named)
    {
        using var services = Build(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(services));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Guards:LogUserPrincipalNames", "Plain")]
    [InlineData("Guards:StormGuard:Window", "ten minutes")]
    [InlineData("Guards:AllowFunctionKeyCallers", "yes please")]
    public void A_value_of_the_wrong_type_stops_start_up_naming_the_setting(string key, string value)
    {
        using var services = Build(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<InvalidOperationException>(() => ValidateOnStart(services));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["Guards:ProtectedGroups:0"] = "6be4fb7f-3426-4ac5-bb93-6996eb9b05ba",
            ["Guards:ProtectedGroups:1"] = "nope",
            ["Guards:ProtectedAccounts:0"] = "RUTH.ELLISON@Contoso.com",
            ["Guards:ProtectedAccounts:1"] = "{6E36244F-95DD-4F19-A5F9-CF7A5F8A8A47}",
            ["Guards:ProtectedAccounts:2"] = "DROP TABLE",
            ["Guards:StormGuard:MaxUsers"] = "0",
        });

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(services));

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("Guards:ProtectedGroups:1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Guards:ProtectedAccounts:2", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Guards:StormGuard:MaxUsers", StringComparison.Ordinal));
    }

    [Fact]
    public void A_hostile_value_is_echoed_only_shortened()
    {
        using var services = Build(new Dictionary<string, string?> { ["Guards:ProtectedAccounts:0"] = new string('x', 5000) });

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(services));

        Assert.True(error.Message.Length < 400, error.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
