using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// The app's own HR leaver message (schema version 1.0): <c>employeeId</c> and/or <c>userPrincipalName</c>,
/// <c>effectiveDate</c> (RFC 3339 with offset: the instant access must end), <c>sourceSystem</c>, <c>ticket</c>;
/// optionally <c>schemaVersion</c>, <c>messageType</c> ("leaver"), <c>messageId</c>, <c>terminationType</c>,
/// <c>submittedAt</c>, <c>correlationId</c>. When both identifiers are given they must name the same user (the
/// resolver answers AmbiguousUser otherwise); a future effective date makes the target due then, not now.
/// <c>"messageType": "leaverRescinded"</c> with the same identifiers, <c>ticket</c> and <c>submittedAt</c> (no
/// <c>effectiveDate</c> needed) cancels the employee's pending leaver plan instead (see <c>Leavers/LeaverPlans</c>).
/// </summary>
public sealed class HrLeaverFormat : IPayloadFormat
{
    public const string FormatKind = "hr-leaver";

    public const string LeaverType = "leaver";

    public const string RescindType = "leaverRescinded";

    public string Kind => FormatKind;

    /// <summary>
    /// <c>effectiveDate</c> or <c>employeeId</c> mark a leaver; so do <c>sourceSystem</c> with <c>ticket</c>, so a leaver
    /// that lost its date is refused naming the date instead of being "unknown".
    /// </summary>
    public bool Recognizes(JsonElement root) =>
        root.TryGetProperty("effectiveDate"u8, out _)
        || root.TryGetProperty("employeeId"u8, out _)
        || (root.TryGetProperty("sourceSystem"u8, out _) && root.TryGetProperty("ticket"u8, out _));

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("HR leaver message");

        var schemaVersion = reader.String(root, "schemaVersion", "$");
        if (schemaVersion is not null && !schemaVersion.StartsWith("1.", StringComparison.Ordinal))
            reader.Violation("The HR leaver message's schemaVersion is not 1.x; this app reads schema version 1.0.", "$.schemaVersion");
        var messageType = reader.String(root, "messageType", "$");
        if (messageType is not null && messageType is not (LeaverType or RescindType))
        {
            // A joiner or mover on the leaver queue must never sign anyone out.
            reader.Violation("The HR message's messageType is neither \"leaver\" nor \"leaverRescinded\"; only those are accepted.",
                "$.messageType");
        }
        var rescind = messageType == RescindType;

        var ticket = reader.RequiredString(root, "ticket", "$");
        var sourceSystem = reader.RequiredString(root, "sourceSystem", "$");
        // A rescind ends nothing, so it needs no date; one it carries anyway is checked like a leaver's.
        var effectiveDate = rescind ? reader.Timestamp(root, "effectiveDate", "$") : ReadEffectiveDate(root, reader);
        var terminationType = FreeText.Clean(reader.String(root, "terminationType", "$"));
        var submittedAt = reader.Timestamp(root, "submittedAt", "$");
        var correlationId = FreeText.Id(reader.String(root, "correlationId", "$"));
        reader.String(root, "messageId", "$");

        var upnText = reader.String(root, "userPrincipalName", "$");
        var employeeIdText = ReadEmployeeId(root, reader);
        if (reader.Error is { } schemaError)
            return schemaError;

        // Strongest first: the UPN is tried first and the employee ID must then agree with it.
        var identifiers = new List<UserIdentifier>(2);
        if (upnText is not null)
        {
            if (!UserIdentifier.TryCreateAddress(upnText, out var upn, out var problem))
            {
                return PayloadError.Invalid(PayloadErrorKind.InvalidUserIdentifier,
                    $"The user principal name at $.userPrincipalName {problem}.", "$.userPrincipalName");
            }
            identifiers.Add(upn);
        }
        if (employeeIdText is not null)
        {
            if (!UserIdentifier.TryCreateEmployeeId(employeeIdText, out var employeeId, out var problem))
                return PayloadError.Invalid(PayloadErrorKind.InvalidUserIdentifier, $"The employee ID at $.employeeId {problem}.", "$.employeeId");
            identifiers.Add(employeeId);
        }
        if (identifiers.Count == 0)
        {
            return PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                "The HR leaver message names no user: give employeeId, userPrincipalName or both.", "$.employeeId");
        }

        if (rescind)
        {
            // Its event is the rescind itself: when HR sent it, else when it arrived.
            var rescinded = new RequestedTarget(
                Given: upnText ?? employeeIdText!,
                Identifiers: identifiers,
                EventTime: submittedAt ?? context.ReceivedAt,
                Reason: FreeText.Clean($"Leaver rescinded per {sourceSystem} ticket {ticket}"),
                CorrelationId: correlationId)
            {
                IsLeaver = true,
                IsRescind = true,
                SubmittedAt = submittedAt,
            };
            return new ParsedPayload(
                new SourceReference(FormatKind, Id: FreeText.Id(ticket), Title: FreeText.Clean($"{sourceSystem} leaver {ticket} rescinded")), [rescinded]);
        }

        var due = effectiveDate!.Value;
        var reason = FreeText.Clean($"Leaver ({terminationType ?? "unspecified"}) per {sourceSystem} ticket {ticket}");
        var target = new RequestedTarget(
            Given: upnText ?? employeeIdText!,
            Identifiers: identifiers,
            EventTime: due,
            NotBefore: due > context.ReceivedAt ? due : null,
            Reason: reason,
            CorrelationId: correlationId)
        {
            IsLeaver = true,
            SubmittedAt = submittedAt,
        };
        var source = new SourceReference(FormatKind, Id: FreeText.Id(ticket), Title: FreeText.Clean($"{sourceSystem} leaver {ticket}"));
        return new ParsedPayload(source, [target]);
    }

    private static DateTimeOffset? ReadEffectiveDate(JsonElement root, MemberReader reader)
    {
        if (!MemberReader.Has(root, "effectiveDate", out var value))
        {
            reader.Violation("The HR leaver message lacks the required member effectiveDate (RFC 3339 date-time with offset, "
                + "e.g. 2026-11-20T17:00:00Z): the instant the leaver's access must end.", "$.effectiveDate");
            return null;
        }
        return reader.Timestamp(root, "effectiveDate", "$");
    }

    /// <summary>A string, never a number: a JSON number loses leading zeros (007 becomes 7) and then names someone else.</summary>
    private static string? ReadEmployeeId(JsonElement root, MemberReader reader)
    {
        if (MemberReader.Has(root, "employeeId", out var value) && value.ValueKind == JsonValueKind.Number)
        {
            reader.Violation("The HR leaver message's employeeId is a JSON number; send it as a string so leading zeros are kept.",
                "$.employeeId");
            return null;
        }
        return reader.String(root, "employeeId", "$");
    }
}
