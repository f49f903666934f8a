namespace RevokeFunctions.GraphSandbox;

/// <summary>A message sent through <c>POST /users/{sender}/sendMail</c>, as the sandbox received it.</summary>
/// <param name="Sender">The sending mailbox's UPN as the tenant knows it.</param>
/// <param name="To">The recipients' addresses.</param>
public sealed record SandboxMail(string Sender, IReadOnlyList<string> To, string Subject, string ContentType, string Body, bool SaveToSentItems, DateTimeOffset At);
