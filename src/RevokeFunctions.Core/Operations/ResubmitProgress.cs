namespace RevokeFunctions.Operations;

/// <summary>How far a resubmission has come: letters settled of those selected.</summary>
public readonly record struct ResubmitProgress(int Done, int Total);
