namespace RevokeFunctions.Tests.Infrastructure;

/// <summary>Object IDs of fixture users (../shared/fixtures/tenant.json) that the tests name.</summary>
public static class FixtureUsers
{
    public const string Alice = "e322f459-1f7e-41e3-b903-5ceb208d9205";
    public const string Grace = "9bda968c-0255-45a3-9894-9fc8b7c45cf5";
    public const string Bob = "dbf36fa1-d4a8-46b4-9147-3a1b11764fd9";
    public const string Carmen = "116a95ee-17a5-4212-b196-9855ce37f47f";
    public const string Tessa = "289a06ad-5b80-47b9-9c71-d907e76453a2";
    public const string Ruth = "6e36244f-95dd-4f19-a5f9-cf7a5f8a8a47";
    public const string GuestJo = "f6c49560-cfd8-4932-82db-933f08b058c9";
    public const string PaulMeyer = "c184414d-75a7-46f9-adcb-1a9ebf192f1f";
    public const string LenaIdn = "d970ec90-f3b6-42b3-b1a1-dbd8abd5b0e0";
    public const string LenaDecoy = "3dd97992-b732-4e76-ba7f-cd5763c3af31";
}
