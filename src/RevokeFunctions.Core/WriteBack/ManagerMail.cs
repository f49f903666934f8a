using RevokeFunctions.Requests;

namespace RevokeFunctions.WriteBack;

/// <summary>What the manager is told: whose sessions, for which request and source.</summary>
public sealed record ManagerMail(string UserId, string UserName, string RequestId, SourceReference? Source);
