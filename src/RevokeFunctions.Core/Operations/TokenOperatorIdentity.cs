using System.Buffers.Text;
using System.Text.Json;
using Azure.Core;

namespace RevokeFunctions.Operations;

/// <summary>
/// The operator's name from the claims of the token the commands themselves use (the Service Bus audience), so the
/// name stamped on a resubmission is the identity Service Bus authorised, not a name the local machine reports. When no
/// token can be had or it names nobody, the local user name is used instead.
/// </summary>
public sealed class TokenOperatorIdentity(TokenCredential credential, string scope = TokenOperatorIdentity.ServiceBusScope) : IOperatorIdentity
{
    public const string ServiceBusScope = "https://servicebus.azure.net/.default";

    // A user's sign-in carries one of the first; an application's (a managed identity, a pipeline) only the last two.
    private static readonly string[] UserClaims = ["upn", "preferred_username", "unique_name", "email"];

    private string? name;

    public async Task<string> GetNameAsync(CancellationToken cancellationToken)
    {
        if (name is not null)
            return name;
        string? fromToken = null;
        try
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
            fromToken = NameFromClaims(token.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No token here means the Service Bus call fails next with its own, clearer error; the name only labels.
        }
        return name = fromToken ?? Environment.UserName;
    }

    /// <summary>The name a JWT's payload gives its subject; null when it is not a JWT or names nobody.</summary>
    public static string? NameFromClaims(string jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        var parts = jwt.Split('.');
        if (parts.Length != 3 || !Base64Url.IsValid(parts[1]))
            return null;
        try
        {
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            if (claims.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var claim in UserClaims)
            {
                if (Text(claims.RootElement, claim) is { } user)
                    return user;
            }
            if ((Text(claims.RootElement, "appid") ?? Text(claims.RootElement, "azp")) is { } app)
                return "app:" + app;
            return Text(claims.RootElement, "oid") is { } oid ? "oid:" + oid : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
