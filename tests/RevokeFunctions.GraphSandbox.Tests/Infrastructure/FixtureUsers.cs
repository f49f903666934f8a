namespace RevokeFunctions.GraphSandbox.Tests.Infrastructure;

/// <summary>Users and groups of ../shared/fixtures/tenant.json that these tests name.</summary>
public static class FixtureUsers
{
    public const string AliceId = "e322f459-1f7e-41e3-b903-5ceb208d9205";
    public const string AliceUpn = "alice@contoso.com";
    public const string AliceEmployeeId = "100101";

    public const string GuestJoId = "f6c49560-cfd8-4932-82db-933f08b058c9";
    public const string GuestJoUpn = "jo.smith_fabrikam.com#EXT#@contoso.onmicrosoft.com";

    public const string PaulMeyerId = "c184414d-75a7-46f9-adcb-1a9ebf192f1f";
    public const string PaulMeyerUpn = "pmeyer@contoso.com";
    public const string PaulMeyerMail = "paul.meyer@contoso.com";

    public const string LenaIdnUpn = "lena.berg@xn--mller-kva.contoso.com";

    public const string RuthId = "6e36244f-95dd-4f19-a5f9-cf7a5f8a8a47";
    public const string ProtectedGroupId = "6be4fb7f-3426-4ac5-bb93-6996eb9b05ba";

    public const int Count = 79;
}
