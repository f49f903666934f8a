using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>The payloads the load scenarios send, written with <see cref="Utf8JsonWriter"/> in the shapes the fixtures show.</summary>
internal static class BenchPayloads
{
    /// <summary>A responder's native request for one user, by UPN.</summary>
    public static byte[] NativeRequest(int user) => Write(writer =>
    {
        writer.WriteString("user", BenchTenant.UserPrincipalName(user));
        writer.WriteString("reason", "Benchmark: suspected token theft");
        writer.WriteString("requestedBy", "soc-bench@contoso.com");
        writer.WriteString("correlationId", Guid.NewGuid().ToString("D"));
    });

    /// <summary>An HR leaver whose employee ID and UPN agree (two lookups: by UPN, then a filter on employeeId).</summary>
    public static byte[] HrLeaver(int user, DateTimeOffset effective) => Write(writer =>
    {
        writer.WriteString("schemaVersion", "1.0");
        writer.WriteString("messageType", "leaver");
        writer.WriteString("messageId", Guid.NewGuid().ToString("D"));
        writer.WriteString("sourceSystem", "Workday");
        writer.WriteString("ticket", "HR-BENCH-" + user.ToString("D6", CultureInfo.InvariantCulture));
        writer.WriteString("employeeId", BenchTenant.EmployeeId(user));
        writer.WriteString("userPrincipalName", BenchTenant.UserPrincipalName(user));
        writer.WriteString("effectiveDate", effective.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("terminationType", "involuntary");
    });

    /// <summary>
    /// One part of a Sentinel incident naming the users <paramref name="first"/> .. first+count-1 as Account entities
    /// (object ID and UPN), plus an IP entity, as a playbook that splits a large incident by the target cap sends it.
    /// </summary>
    public static byte[] SentinelIncidentPart(int incidentNumber, int part, int first, int count, DateTimeOffset created) => Write(writer =>
    {
        var name = $"0b7a1c52-0000-4000-8000-{incidentNumber.ToString("D8", CultureInfo.InvariantCulture)}{part.ToString("D4", CultureInfo.InvariantCulture)}";
        writer.WriteString("id", "/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc/providers/Microsoft.SecurityInsights/Incidents/" + name);
        writer.WriteString("name", name);
        writer.WriteString("type", "Microsoft.SecurityInsights/Incidents");
        writer.WriteStartObject("properties");
        writer.WriteString("title", $"Mass password spray (part {part.ToString(CultureInfo.InvariantCulture)})");
        writer.WriteString("severity", "High");
        writer.WriteString("status", "New");
        writer.WriteNumber("incidentNumber", incidentNumber);
        writer.WriteString("createdTimeUtc", created.UtcDateTime);
        writer.WriteStartArray("relatedEntities");
        for (var user = first; user < first + count; user++)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "Account");
            writer.WriteStartObject("properties");
            var upn = BenchTenant.UserPrincipalName(user);
            writer.WriteString("accountName", upn[..upn.IndexOf('@', StringComparison.Ordinal)]);
            writer.WriteString("upnSuffix", "contoso.com");
            writer.WriteString("aadUserId", BenchTenant.ObjectId(user));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteStartObject();
        writer.WriteString("kind", "Ip");
        writer.WriteStartObject("properties");
        writer.WriteString("address", "203.0.113.7");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
