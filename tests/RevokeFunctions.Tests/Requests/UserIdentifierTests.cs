using RevokeFunctions.Requests;

namespace RevokeFunctions.Tests.Requests;

public sealed class UserIdentifierTests
{
    [Theory]
    [InlineData("e322f459-1f7e-41e3-b903-5ceb208d9205")]
    [InlineData("E322F459-1F7E-41E3-B903-5CEB208D9205")]
    [InlineData("{E322F459-1F7E-41E3-B903-5CEB208D9205}")]
    [InlineData("{e322f459-1f7e-41e3-b903-5ceb208d9205}")]
    public void Object_ids_in_any_case_and_braces_normalise_to_lower_case_D_format(string raw)
    {
        Assert.True(UserIdentifier.TryCreate(raw, out var id, out _));
        Assert.Equal(UserIdentifierKind.ObjectId, id.Kind);
        Assert.Equal("e322f459-1f7e-41e3-b903-5ceb208d9205", id.Value);
    }

    [Theory]
    [InlineData("Alice@Contoso.COM", "Alice@contoso.com")]
    [InlineData("jo.smith_fabrikam.com#EXT#@contoso.onmicrosoft.com", "jo.smith_fabrikam.com#EXT#@contoso.onmicrosoft.com")]
    [InlineData("lena.berg@müller.contoso.com", "lena.berg@xn--mller-kva.contoso.com")]
    [InlineData("o'brien@contoso.com", "o'brien@contoso.com")]
    public void Addresses_keep_their_local_part_and_take_the_IDNA_ASCII_domain(string raw, string expected)
    {
        Assert.True(UserIdentifier.TryCreate(raw, out var id, out var problem), problem);
        Assert.Equal(UserIdentifierKind.UserPrincipalName, id.Kind);
        Assert.Equal(expected, id.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("{00000000-0000-0000-0000-000000000000}")]
    [InlineData("e322f459-1f7e-41e3-b903-5ceb208d920z")]
    [InlineData("alice@contoso.com/../../groups")]
    [InlineData("x' or 1 eq 1 or id eq '")]
    [InlineData("alice@contoso.com\u0000\r\nruth.ellison@contoso.com")]
    [InlineData("alice\u200B@contoso.com")]
    [InlineData("alice@contoso.com?$select=id")]
    [InlineData("alice@@contoso.com")]
    [InlineData("alice")]
    [InlineData("alice@localhost")]
    [InlineData("al ice@contoso.com")]
    [InlineData(".alice@contoso.com")]
    public void Hostile_or_malformed_values_are_refused_with_a_reason(string raw)
    {
        Assert.False(UserIdentifier.TryCreate(raw, out _, out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void An_oversized_value_is_refused_without_echoing_it()
    {
        var huge = new string('a', 102_400) + "@contoso.com";
        Assert.False(UserIdentifier.TryCreate(huge, out _, out var problem));
        Assert.True(problem.Length < 200);
    }

    [Theory]
    [InlineData("007421", true)]
    [InlineData("A-100_9.1", true)]
    [InlineData("100' or '1'='1", false)]
    [InlineData("12345678901234567", false)]
    public void Employee_ids_keep_leading_zeros_and_refuse_syntax(string raw, bool valid)
    {
        Assert.Equal(valid, UserIdentifier.TryCreateEmployeeId(raw, out var id, out _));
        if (valid)
            Assert.Equal(raw, id.Value);
    }
}
