using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RevokeFunctions.GraphSandbox;

/// <summary>The Graph v1.0 user operations the app calls, over a <see cref="SandboxTenant"/>.</summary>
internal sealed class UserEndpoints(SandboxTenant tenant, RequestRecorder recorder, SessionReplication replication)
{
    /// <summary>Graph's own limit for one checkMemberGroups call.</summary>
    public const int MaxGroupIdsPerCheck = 20;

    /// <summary>Graph's page size for users: 100 by default, at most 999.</summary>
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 999;

    private const string Metadata = "https://graph.microsoft.com/v1.0/$metadata#";

    public Task GetUserAsync(HttpContext context, string key)
    {
        var query = context.Request.Query;
        if (QueryOptions.Check(query, "$select") is { } invalid)
            return GraphResponses.WriteErrorAsync(context, invalid);
        if (!UserSelection.TryParse(QueryOptions.Value(query, "$select"), out var selection, out var error))
            return GraphResponses.WriteErrorAsync(context, error);
        if (tenant.Find(key) is not { } found)
            return GraphResponses.WriteErrorAsync(context, GraphError.UserNotFound(key));
        replication.Reading(found.Id);
        var user = tenant.FindById(found.Id) ?? found;

        return GraphResponses.WriteJsonAsync(context, 200, (User: user, Selection: selection), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", Metadata + "users/$entity");
            state.Selection.WriteProperties(writer, state.User);
            writer.WriteEndObject();
        });
    }

    public Task ListUsersAsync(HttpContext context)
    {
        var request = context.Request;
        var query = request.Query;
        if (QueryOptions.Check(query, "$select", "$filter", "$top", "$count", "$skiptoken") is { } invalid)
            return GraphResponses.WriteErrorAsync(context, invalid);
        if (!UserSelection.TryParse(QueryOptions.Value(query, "$select"), out var selection, out var error))
            return GraphResponses.WriteErrorAsync(context, error);

        IReadOnlyList<SandboxUser> matches;
        if (QueryOptions.Value(query, "$filter") is not { } filterText)
            matches = tenant.Users;
        else if (UserFilter.TryParse(filterText, out var filter, out error))
            matches = filter.Apply(tenant);
        else
            return GraphResponses.WriteErrorAsync(context, error);

        if (!TryReadInt(query, "$top", DefaultPageSize, 1, MaxPageSize, out var top))
            return GraphResponses.WriteErrorAsync(context, GraphError.BadRequest($"Invalid $top: expected an integer from 1 to {MaxPageSize}."));
        // The sandbox's skip token is simply the offset of the next page; clients treat it as opaque anyway.
        if (!TryReadInt(query, "$skiptoken", 0, 0, int.MaxValue, out var skip))
            return GraphResponses.WriteErrorAsync(context, GraphError.BadRequest("Invalid $skiptoken."));
        if (!TryReadCount(request, out var includeCount, out error))
            return GraphResponses.WriteErrorAsync(context, error);

        var page = matches.Skip(skip).Take(top).ToArray();
        foreach (var listed in page)
            replication.Reading(listed.Id);
        page = [.. page.Select(u => tenant.FindById(u.Id) ?? u)];
        var nextLink = skip + page.Length < matches.Count ? NextLink(request, skip + page.Length) : null;
        var state = (Page: page, Selection: selection, Count: includeCount ? matches.Count : (int?)null, NextLink: nextLink);
        return GraphResponses.WriteJsonAsync(context, 200, state, static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", Metadata + "users");
            if (state.Count is int count)
                writer.WriteNumber("@odata.count", count);
            if (state.NextLink is not null)
                writer.WriteString("@odata.nextLink", state.NextLink);
            writer.WriteStartArray("value");
            foreach (var user in state.Page)
            {
                writer.WriteStartObject();
                state.Selection.WriteProperties(writer, user);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    public Task GetManagerAsync(HttpContext context, string key)
    {
        if (tenant.Find(key) is null)
            return GraphResponses.WriteErrorAsync(context, GraphError.UserNotFound(key));
        if (tenant.ManagerOf(key) is not { } manager)
            return GraphResponses.WriteErrorAsync(context, GraphError.UserNotFound("manager"));

        return GraphResponses.WriteJsonAsync(context, 200, manager, static (writer, user) =>
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", Metadata + "directoryObjects/$entity");
            // The manager is a directoryObject; the type tells the SDK it is a user.
            writer.WriteString("@odata.type", "#microsoft.graph.user");
            writer.WriteString("id", user.Id);
            writer.WriteString("userPrincipalName", user.UserPrincipalName);
            if (user.Mail is null)
                writer.WriteNull("mail");
            else
                writer.WriteString("mail", user.Mail);
            writer.WriteEndObject();
        });
    }

    public Task RevokeSignInSessionsAsync(HttpContext context, string key, long sequence)
    {
        if (tenant.Find(key) is not { } user)
            return GraphResponses.WriteErrorAsync(context, GraphError.UserNotFound(key));

        // Full precision is kept: "valid from >= the moment before the call" must hold for whoever checks it.
        replication.Revoked(user.Id, DateTimeOffset.UtcNow);
        recorder.CountRevocation(sequence, Guid.Parse(user.Id));
        return GraphResponses.WriteJsonAsync(context, 200, 0, static (writer, _) =>
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", Metadata + "Edm.Boolean");
            writer.WriteBoolean("value", true);
            writer.WriteEndObject();
        });
    }

    public async Task UpdateUserAsync(HttpContext context, string key)
    {
        if (tenant.Find(key) is not { } user)
        {
            await GraphResponses.WriteErrorAsync(context, GraphError.UserNotFound(key));
            return;
        }

        bool? accountEnabled = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                await GraphResponses.WriteErrorAsync(context, GraphError.BadRequest("The request body must be a JSON object."));
                return;
            }

            foreach (var property in body.RootElement.EnumerateObject())
            {
                // Kiota always sends "@odata.type"; annotations are not properties.
                if (property.Name.StartsWith('@'))
                    continue;
                if (!property.NameEquals("accountEnabled"))
                {
                    await GraphResponses.WriteErrorAsync(context, GraphError.BadRequest(
                        $"Updating '{property.Name}' is not supported by the Graph sandbox; only accountEnabled is."));
                    return;
                }

                if (property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    await GraphResponses.WriteErrorAsync(context, GraphError.BadRequest(
                        $"Cannot convert the literal '{property.Value.GetRawText()}' to the expected type 'Edm.Boolean'."));
                    return;
                }

                accountEnabled = property.Value.GetBoolean();
            }
        }
        catch (JsonException)
        {
            await GraphResponses.WriteErrorAsync(context, InvalidJson());
            return;
        }

        if (accountEnabled is bool enabled)
            tenant.SetAccountEnabled(user.Id, enabled);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task CheckMemberGroupsAsync(HttpContext context, string key)
    {
        if (tenant.Find(key) is not { } user)
        {
            await GraphResponses.WriteErrorAsync(context, GraphError.UserNotFound(key));
            return;
        }

        CheckMemberGroupsBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, SandboxJsonContext.Default.CheckMemberGroupsBody, context.RequestAborted);
        }
        catch (JsonException)
        {
            await GraphResponses.WriteErrorAsync(context, InvalidJson());
            return;
        }

        if (body?.GroupIds is not { } groupIds)
        {
            await GraphResponses.WriteErrorAsync(context, GraphError.BadRequest("groupIds is required."));
            return;
        }

        if (groupIds.Count > MaxGroupIdsPerCheck)
        {
            await GraphResponses.WriteErrorAsync(context, GraphError.BadRequest($"checkMemberGroups accepts at most {MaxGroupIdsPerCheck} group ids."));
            return;
        }

        // The tenant file lists transitive memberships, so membership is a plain lookup.
        var memberOf = new List<string>();
        foreach (var groupId in groupIds)
        {
            if (!Guid.TryParse(groupId, out var parsed))
            {
                await GraphResponses.WriteErrorAsync(context, GraphError.BadRequest($"Invalid group id '{groupId}'."));
                return;
            }

            var canonical = parsed.ToString("D");
            if (user.Groups.Contains(canonical, StringComparer.Ordinal) && !memberOf.Contains(canonical))
                memberOf.Add(canonical);
        }

        await GraphResponses.WriteJsonAsync(context, 200, memberOf, static (writer, ids) =>
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", Metadata + "Collection(Edm.String)");
            writer.WriteStartArray("value");
            foreach (var id in ids)
                writer.WriteStringValue(id);
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static GraphError InvalidJson() =>
        GraphError.BadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");

    private static bool TryReadInt(IQueryCollection query, string name, int fallback, int min, int max, out int value)
    {
        value = fallback;
        var text = QueryOptions.Value(query, name);
        return text is null
            || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }

    // Graph answers $count on directory objects only for "advanced queries", which need ConsistencyLevel: eventual.
    private static bool TryReadCount(HttpRequest request, out bool includeCount, [NotNullWhen(false)] out GraphError? error)
    {
        includeCount = false;
        error = null;
        var text = QueryOptions.Value(request.Query, "$count");
        if (text is null || text.Equals("false", StringComparison.OrdinalIgnoreCase))
            return true;
        if (!text.Equals("true", StringComparison.OrdinalIgnoreCase))
            error = GraphError.BadRequest("Invalid $count: expected true or false.");
        else if (!string.Equals(request.Headers["ConsistencyLevel"], "eventual", StringComparison.OrdinalIgnoreCase))
            error = GraphError.UnsupportedQuery("$count on users needs the ConsistencyLevel: eventual header.");
        includeCount = error is null;
        return includeCount;
    }

    private static string NextLink(HttpRequest request, int offset)
    {
        var parameters = request.Query
            .Where(option => !option.Key.Equals("$skiptoken", StringComparison.OrdinalIgnoreCase))
            .Select(option => KeyValuePair.Create(option.Key, (string?)option.Value.ToString()))
            .Append(KeyValuePair.Create("$skiptoken", (string?)offset.ToString(CultureInfo.InvariantCulture)));
        return $"{request.Scheme}://{request.Host}/v1.0/users{QueryString.Create(parameters)}";
    }
}
