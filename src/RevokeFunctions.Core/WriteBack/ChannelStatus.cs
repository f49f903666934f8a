namespace RevokeFunctions.WriteBack;

/// <summary>How one channel ended for one dispatch. The names are stored in the record: add, never rename.</summary>
public enum ChannelStatus
{
    /// <summary>Off, or nothing for it in this request (not from Sentinel, nobody protected, …).</summary>
    NotApplicable,

    /// <summary>Posted now.</summary>
    Done,

    /// <summary>What it would post was posted before (a retried request): nothing was sent.</summary>
    AlreadyDone,

    /// <summary>Waiting: the Defender comment is posted once no target is pending any more.</summary>
    Waiting,

    /// <summary>Tried and failed; the problem is in the record and the log. The revocation stands.</summary>
    Failed,
}
