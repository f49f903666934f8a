namespace RevokeFunctions.WriteBack;

internal sealed record AdaptiveCardFact(string Title, string Value);
