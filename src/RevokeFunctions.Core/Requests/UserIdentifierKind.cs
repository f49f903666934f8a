namespace RevokeFunctions.Requests;

/// <summary>How a payload names a user, strongest first.</summary>
public enum UserIdentifierKind
{
    /// <summary>The Entra object ID: names exactly one user or none.</summary>
    ObjectId,

    /// <summary>A user principal name; resolution falls back to <c>mail</c> when no UPN matches.</summary>
    UserPrincipalName,

    /// <summary>The HR system's employee ID (Graph <c>employeeId</c>).</summary>
    EmployeeId,
}
