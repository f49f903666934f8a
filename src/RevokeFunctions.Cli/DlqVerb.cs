namespace RevokeFunctions.Cli;

/// <summary>The <c>dlq</c> sub-commands.</summary>
public enum DlqVerb
{
    List,
    Show,
    Resubmit,
    Discard,
}
