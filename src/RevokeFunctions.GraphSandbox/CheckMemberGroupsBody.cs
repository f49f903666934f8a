namespace RevokeFunctions.GraphSandbox;

/// <summary>Request body of <c>POST /users/{id}/checkMemberGroups</c>.</summary>
internal sealed class CheckMemberGroupsBody
{
    public List<string?>? GroupIds { get; init; }
}
