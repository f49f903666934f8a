namespace RevokeFunctions.GraphSandbox;

/// <summary>A comment added to a Defender XDR alert, as the sandbox received it.</summary>
public sealed record SandboxAlertComment(string AlertId, string Comment, DateTimeOffset At);
