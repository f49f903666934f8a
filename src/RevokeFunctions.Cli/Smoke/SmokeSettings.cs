namespace RevokeFunctions.Cli.Smoke;

/// <summary>What <c>revoke smoke</c> checks: one deployed app, its API registration, queue and managed identity.</summary>
/// <param name="AppUrl">The function app, e.g. <c>https://func-x.azurewebsites.net</c>.</param>
/// <param name="ApiClientId">The API app registration's client ID: tokens are asked for <c>api://&lt;id&gt;</c>.</param>
/// <param name="TestUser">A real user (UPN or object ID) the dry run resolves; nobody is signed out.</param>
/// <param name="Namespace">The Service Bus namespace host, <c>&lt;name&gt;.servicebus.windows.net</c>.</param>
/// <param name="QueueName">The revocation queue.</param>
/// <param name="IdentityPrincipalId">The app's managed identity's service principal (object) ID.</param>
public sealed record SmokeSettings(Uri AppUrl, string ApiClientId, string TestUser, string Namespace, string QueueName, string IdentityPrincipalId)
{
    /// <summary>How long to wait for the test message to reach the dead-letter queue.</summary>
    public TimeSpan DeadLetterWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the dead-letter queue is peeked while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The token audience App Service Authentication accepts for the API.</summary>
    public string ApiScope => $"api://{ApiClientId}/.default";
}
