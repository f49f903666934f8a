namespace RevokeFunctions.GraphSandbox;

internal enum UserFilterProperty
{
    Id,
    UserPrincipalName,
    Mail,
    EmployeeId,
}
