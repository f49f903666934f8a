using RevokeFunctions.Revocation;

namespace RevokeFunctions.Queue;

/// <summary>What a dead-lettered message says: a stable code, one sentence to act on, and properties to find it by.</summary>
/// <param name="Reason">Becomes <c>DeadLetterReason</c>.</param>
/// <param name="Description">Becomes <c>DeadLetterErrorDescription</c>; at most <see cref="MaxDescriptionLength"/> characters.</param>
public sealed record DeadLetterNotice(ReasonCode Reason, string Description, Dictionary<string, object> Properties)
{
    /// <summary>Service Bus's limit on the dead-letter description.</summary>
    public const int MaxDescriptionLength = 4096;

    public static string Fit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxDescriptionLength ? text : text[..(MaxDescriptionLength - 1)] + "…";
    }
}
