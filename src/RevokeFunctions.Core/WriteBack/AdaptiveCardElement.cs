namespace RevokeFunctions.WriteBack;

/// <summary>A <c>TextBlock</c> (text) or a <c>FactSet</c> (facts); unset members are left out of the JSON.</summary>
internal sealed record AdaptiveCardElement(string Type)
{
    public string? Text { get; init; }

    public bool? Wrap { get; init; }

    public string? Weight { get; init; }

    public string? Size { get; init; }

    public IReadOnlyList<AdaptiveCardFact>? Facts { get; init; }
}
