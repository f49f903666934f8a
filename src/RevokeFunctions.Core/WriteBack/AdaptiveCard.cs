using System.Text.Json.Serialization;

namespace RevokeFunctions.WriteBack;

/// <summary>An Adaptive Card 1.4: text blocks and one fact set, which is all Teams needs to show a notification.</summary>
internal sealed record AdaptiveCard(IReadOnlyList<AdaptiveCardElement> Body)
{
    [JsonPropertyName("$schema")]
    public string Schema { get; init; } = "http://adaptivecards.io/schemas/adaptive-card.json";

    public string Type { get; init; } = "AdaptiveCard";

    public string Version { get; init; } = "1.4";
}
