namespace RevokeFunctions.GraphSandbox;

/// <summary>The tenant file as written on disk: <c>{"users":[...]}</c>.</summary>
internal sealed class TenantFileDocument
{
    public List<TenantFileUser?>? Users { get; init; }
}
