namespace RevokeFunctions.WriteBack;

/// <summary>
/// Email the manager of each user whose sessions were revoked (section <c>Notifications:ManagerEmail</c>), through
/// Graph <c>POST /users/{sender}/sendMail</c>. Needs <c>Mail.Send</c> limited to the one sending mailbox by Exchange
/// Online (RBAC for Applications, or an application access policy); see the README.
/// </summary>
public sealed class ManagerEmailOptions
{
    public bool Enabled { get; set; }

    /// <summary>The sending mailbox: its UPN or object ID. A shared mailbox with no licence needed is the usual choice.</summary>
    public string? Sender { get; set; }
}
