using RevokeFunctions.Graph;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Users;

/// <summary>A requested target after resolution: its user, or why it has none.</summary>
public sealed record ResolvedTarget(RequestedTarget Target, UserLookupStatus Status, DirectoryUser? User, string? Detail, GraphFailure? Failure = null);
