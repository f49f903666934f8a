using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using RevokeFunctions.App.Http;

namespace RevokeFunctions.Tests.Http;

/// <summary>
/// The documented choice: every HTTP function is anonymous to the Functions host (no function key) and sits behind
/// App Service Authentication, which the app requires before it trusts any caller. A function that asked for a key
/// would make the README's first call a 401 from the host; this pins the choice for every function, present and future.
/// </summary>
public sealed class FunctionAuthorizationLevelTests
{
    private static IEnumerable<(string Function, HttpTriggerAttribute Trigger)> HttpFunctions() =>
        typeof(SubmitRevocationFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Name: m.GetCustomAttribute<FunctionAttribute>()?.Name, Trigger: m.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Name is not null && f.Trigger is not null)
            .Select(f => (f.Name!, f.Trigger!));

    [Fact]
    public void Every_HTTP_function_is_anonymous_to_the_host_behind_App_Service_Authentication()
    {
        var functions = HttpFunctions().ToList();

        Assert.Contains(functions, f => f.Function == "SubmitRevocation");
        Assert.Contains(functions, f => f.Function == "GetRevocationStatus");
        Assert.All(functions, f => Assert.True(f.Trigger.AuthLevel == AuthorizationLevel.Anonymous,
            $"{f.Function} asks for {f.Trigger.AuthLevel}; the documented choice is Anonymous behind App Service Authentication."));
    }
}
