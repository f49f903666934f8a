using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class SandboxTenantTests
{
    private const string OneUser = """
        {"users":[{"id":"E322F459-1F7E-41E3-B903-5CEB208D9205","userPrincipalName":"alice@contoso.com","mail":null,"employeeId":null,
        "userType":"Member","accountEnabled":true,"signInSessionsValidFromDateTime":"2026-01-01T02:00:00+02:00","groups":["{6BE4FB7F-3426-4AC5-BB93-6996EB9B05BA}"]}]}
        """;

    [Fact]
    public void Load_reads_the_shared_fixture()
    {
        var tenant = SandboxTenant.Load(TestPaths.TenantFile);

        Assert.Equal(FixtureUsers.Count, tenant.Users.Count);
        var guest = tenant.FindByUserPrincipalName(FixtureUsers.GuestJoUpn.ToUpperInvariant());
        Assert.Equal(("Guest", null), (guest?.UserType, guest?.EmployeeId));
        Assert.Equal(FixtureUsers.PaulMeyerId, Assert.Single(tenant.FindByMail(FixtureUsers.PaulMeyerMail)).Id);
        Assert.Equal([FixtureUsers.ProtectedGroupId], tenant.FindById(FixtureUsers.RuthId)!.Groups);
    }

    [Fact]
    public void Parse_normalizes_ids_to_lowercase_and_times_to_utc()
    {
        var user = Assert.Single(SandboxTenant.Parse(OneUser).Users);

        Assert.Equal(FixtureUsers.AliceId, user.Id);
        Assert.Equal([FixtureUsers.ProtectedGroupId], user.Groups);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), user.SignInSessionsValidFromDateTime);
        Assert.Equal(TimeSpan.Zero, user.SignInSessionsValidFromDateTime.Offset);
        Assert.Null(user.Mail);
    }

    [Theory]
    [InlineData("{}", "'users' is missing")]
    [InlineData("""{"users":[{"userPrincipalName":"a@b.c"}]}""", "users[0]: 'id' is missing")]
    [InlineData("""{"users":[{"id":"nope","userPrincipalName":"a@b.c","userType":"Member","accountEnabled":true,"signInSessionsValidFromDateTime":"2026-01-01T00:00:00Z"}]}""", "is not a GUID")]
    [InlineData("""{"users":[{"id":"e322f459-1f7e-41e3-b903-5ceb208d9205","userPrincipalName":"a@b.c","userType":"Member","accountEnabled":"yes","signInSessionsValidFromDateTime":"2026-01-01T00:00:00Z"}]}""", "accountEnabled")]
    [InlineData("{\"users\":[", "tenant JSON")]
    public void Parse_names_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => SandboxTenant.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_and_upns_must_be_unique()
    {
        var alice = SandboxTenant.Parse(OneUser).Users[0];

        Assert.Throws<ArgumentException>(() => SandboxTenant.FromUsers([alice, alice with { UserPrincipalName = "other@contoso.com" }]));
        Assert.Throws<ArgumentException>(() => SandboxTenant.FromUsers([alice, alice with { Id = Guid.NewGuid().ToString(), UserPrincipalName = "ALICE@contoso.com" }]));
    }

    [Fact]
    public void Changes_replace_the_record_and_leave_earlier_snapshots_alone()
    {
        var tenant = SandboxTenant.Parse(OneUser);
        var snapshot = tenant.Users;
        var at = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(2));

        tenant.SetSignInSessionsValidFrom("{E322F459-1F7E-41E3-B903-5CEB208D9205}", at);
        tenant.SetAccountEnabled(FixtureUsers.AliceId, false);

        var now = tenant.FindById(FixtureUsers.AliceId)!;
        Assert.Equal((at, TimeSpan.Zero, false), (now.SignInSessionsValidFromDateTime, now.SignInSessionsValidFromDateTime.Offset, now.AccountEnabled));
        Assert.True(snapshot[0].AccountEnabled);
        Assert.Throws<KeyNotFoundException>(() => tenant.SetSignInSessionsValidFrom(Guid.NewGuid().ToString(), at));
    }

    [Fact]
    public void Concurrent_changes_to_one_user_are_not_lost()
    {
        var tenant = SandboxTenant.Parse(OneUser);
        var epoch = DateTimeOffset.UnixEpoch;

        // Each round races two different changes on the same record; both must survive every time.
        for (var round = 0; round < 500; round++)
        {
            var at = epoch.AddSeconds(round + 1);
            tenant.SetAccountEnabled(FixtureUsers.AliceId, true);
            Parallel.Invoke(
                () => tenant.SetAccountEnabled(FixtureUsers.AliceId, false),
                () => tenant.SetSignInSessionsValidFrom(FixtureUsers.AliceId, at));

            var user = tenant.FindById(FixtureUsers.AliceId)!;
            Assert.Equal((false, at), (user.AccountEnabled, user.SignInSessionsValidFromDateTime));
        }
    }
}
