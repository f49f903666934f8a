namespace RevokeFunctions.Users;

public enum UserLookupStatus
{
    Found,
    NotFound,
    Ambiguous,
    Failed,
}
