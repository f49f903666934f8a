namespace RevokeFunctions.WriteBack;

public enum ManagerMailResult
{
    Sent,

    /// <summary>No manager in the directory, or one without a mail address: nobody to tell.</summary>
    NoManager,
}
