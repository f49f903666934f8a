namespace RevokeFunctions.GraphSandbox;

internal enum GraphOperation
{
    UnknownRoute,
    MethodNotAllowed,
    GetUser,
    ListUsers,
    UpdateUser,
    RevokeSignInSessions,
    CheckMemberGroups,
    GetManager,
    SendMail,
    AddAlertComment,
}
