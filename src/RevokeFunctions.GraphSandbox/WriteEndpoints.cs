using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// The Graph writes the app's write-back makes besides revocation: a comment on a Defender XDR alert and a mail from
/// one mailbox. Both are recorded (<see cref="GraphSandboxServer.AlertComments"/>, <see cref="GraphSandboxServer.SentMail"/>)
/// and validated the way Graph validates them, so a malformed body fails here as it would there.
/// </summary>
internal sealed class WriteEndpoints(SandboxTenant tenant, RequestRecorder recorder)
{
    private const string Metadata = "https://graph.microsoft.com/v1.0/$metadata#";

    /// <summary>POST /security/alerts_v2/{alertId}/comments: one alertComment in, every comment of the alert out.</summary>
    public async Task AddAlertCommentAsync(HttpContext context, string alertId, long sequence)
    {
        string? comment = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                await GraphResponses.WriteErrorAsync(context, GraphError.BadRequest("The request body must be one alertComment object."));
                return;
            }
            if (body.RootElement.TryGetProperty("comment", out var text) && text.ValueKind == JsonValueKind.String)
                comment = text.GetString();
        }
        catch (JsonException)
        {
            await GraphResponses.WriteErrorAsync(context, InvalidJson());
            return;
        }
        if (string.IsNullOrWhiteSpace(comment))
        {
            await GraphResponses.WriteErrorAsync(context, GraphError.BadRequest("comment is required."));
            return;
        }

        recorder.RecordAlertComment(sequence, new SandboxAlertComment(alertId, comment, DateTimeOffset.UtcNow));
        var all = recorder.AlertComments.Where(c => c.AlertId == alertId).ToArray();
        await GraphResponses.WriteJsonAsync(context, 200, (AlertId: alertId, Comments: all), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", Metadata + $"security/alerts_v2('{state.AlertId}')/comments");
            writer.WriteStartArray("value");
            foreach (var item in state.Comments)
            {
                writer.WriteStartObject();
                writer.WriteString("comment", item.Comment);
                writer.WriteString("createdByDisplayName", "RevokeFunctions (sandbox)");
                writer.WriteString("createdDateTime", item.At);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>POST /users/{sender}/sendMail: 202 with no body, as Graph answers.</summary>
    public async Task SendMailAsync(HttpContext context, string key, long sequence)
    {
        if (tenant.Find(key) is not { } sender)
        {
            await GraphResponses.WriteErrorAsync(context, new GraphError(404, "ErrorInvalidUser", $"The requested user '{key}' is invalid."));
            return;
        }

        SandboxMail? mail;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            mail = ReadMail(body.RootElement, sender.UserPrincipalName);
        }
        catch (JsonException)
        {
            await GraphResponses.WriteErrorAsync(context, InvalidJson());
            return;
        }
        if (mail is null)
        {
            await GraphResponses.WriteErrorAsync(context, new GraphError(400, "ErrorInvalidRecipients",
                "A message needs a subject, a body and at least one recipient with an address."));
            return;
        }

        recorder.RecordMail(sequence, mail);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static SandboxMail? ReadMail(JsonElement root, string sender)
    {
        // Action parameters are matched case-insensitively by Graph, and the SDK sends these two as Message and SaveToSentItems.
        if (root.ValueKind != JsonValueKind.Object || Parameter(root, "message") is not { ValueKind: JsonValueKind.Object } message)
            return null;
        var subject = message.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        string? contentType = null;
        string? content = null;
        if (message.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object)
        {
            contentType = body.TryGetProperty("contentType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "text";
            content = body.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        var to = new List<string>();
        if (message.TryGetProperty("toRecipients", out var recipients) && recipients.ValueKind == JsonValueKind.Array)
        {
            foreach (var recipient in recipients.EnumerateArray())
            {
                if (recipient.ValueKind == JsonValueKind.Object
                    && recipient.TryGetProperty("emailAddress", out var address) && address.ValueKind == JsonValueKind.Object
                    && address.TryGetProperty("address", out var value) && value.ValueKind == JsonValueKind.String
                    && value.GetString() is { Length: > 0 } text)
                {
                    to.Add(text);
                }
            }
        }
        var save = Parameter(root, "saveToSentItems") is not { ValueKind: JsonValueKind.False };
        return subject is null || content is null || to.Count == 0
            ? null
            : new SandboxMail(sender, to, subject, contentType!, content, save, DateTimeOffset.UtcNow);
    }

    private static JsonElement? Parameter(JsonElement root, string name)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        }
        return null;
    }

    private static GraphError InvalidJson() =>
        GraphError.BadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
}
