namespace RevokeFunctions.Cli;

/// <summary>The CLI's exit codes: part of its contract with scripts and acceptance checks.</summary>
public static class CliExitCode
{
    /// <summary>Every target ended Revoked, AlreadyRevoked, Deferred, Superseded or Cancelled (or WouldRevoke in a dry run).</summary>
    public const int Success = 0;

    /// <summary>At least one target ended otherwise (not found, refused, failed).</summary>
    public const int TargetFailed = 1;

    /// <summary>The payload itself was refused; nobody was revoked.</summary>
    public const int InvalidPayload = 2;

    /// <summary><c>status</c>: the ledger has no such request; <c>dlq show</c>/<c>resubmit</c>: no dead letter with that sequence number.</summary>
    public const int NotFound = 3;

    /// <summary><c>dlq resubmit</c>: a <c>StormGuard</c> or <c>ProtectedAccount</c> dead letter was left alone; review it, then add <c>--confirm</c>.</summary>
    public const int ConfirmationRequired = 4;

    /// <summary>
    /// <c>status</c>: the ledger is not configured or does not answer; <c>dlq</c>: no namespace configured, unknown
    /// namespace or queue, sign-in failed, or Service Bus unreachable (EX_UNAVAILABLE).
    /// </summary>
    public const int Unavailable = 69;

    /// <summary><c>dlq</c>: signed in, but without the Service Bus data role the command needs (EX_NOPERM).</summary>
    public const int NotPermitted = 77;

    /// <summary>The command line was wrong (EX_USAGE).</summary>
    public const int Usage = 64;
}
