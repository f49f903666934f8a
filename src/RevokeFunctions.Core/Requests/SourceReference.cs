namespace RevokeFunctions.Requests;

/// <summary>Where a request came from, in the source's own terms, so a responder can find the incident or alert again.</summary>
/// <param name="Kind">The payload format, e.g. <c>native</c>, <c>sentinel-incident</c>, <c>hr-leaver</c>.</param>
/// <param name="Id">The source's own ID (incident name, alert ID, detection ID, HR ticket, CloudEvent id); used for idempotency.</param>
/// <param name="Number">A human number where the source has one (Sentinel incident number).</param>
/// <param name="Url">A link to the item in the source's portal.</param>
/// <param name="Severity">The source's severity, as it states it.</param>
/// <param name="ResourceId">An ARM resource ID (Sentinel incidents), for write-back.</param>
public sealed record SourceReference(
    string Kind,
    string? Id = null,
    string? Number = null,
    string? Url = null,
    string? Severity = null,
    string? ResourceId = null,
    string? Title = null);
