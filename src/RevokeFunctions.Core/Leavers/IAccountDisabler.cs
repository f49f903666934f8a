using RevokeFunctions.Graph;

namespace RevokeFunctions.Leavers;

/// <summary>Disables a user's account so it cannot sign in again.</summary>
public interface IAccountDisabler
{
    /// <summary>Returns null on success, else what Graph said.</summary>
    Task<GraphFailure?> DisableAsync(string userId, CancellationToken cancellationToken);
}
