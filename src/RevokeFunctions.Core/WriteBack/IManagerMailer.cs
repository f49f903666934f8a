namespace RevokeFunctions.WriteBack;

/// <summary>Tells a user's manager that the user's sessions were revoked.</summary>
public interface IManagerMailer
{
    /// <summary>
    /// Sends the email; <see cref="ManagerMailResult.NoManager"/> when the user has no manager with a mailbox.
    /// Throws <see cref="WriteBackException"/>.
    /// </summary>
    Task<ManagerMailResult> SendAsync(ManagerMail mail, CancellationToken cancellationToken);
}
