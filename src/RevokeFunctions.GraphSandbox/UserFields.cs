namespace RevokeFunctions.GraphSandbox;

/// <summary>The user properties the sandbox models, as a set.</summary>
[Flags]
internal enum UserFields
{
    None = 0,
    Id = 1,
    UserPrincipalName = 2,
    Mail = 4,
    EmployeeId = 8,
    UserType = 16,
    AccountEnabled = 32,
    SignInSessionsValidFromDateTime = 64,
}
