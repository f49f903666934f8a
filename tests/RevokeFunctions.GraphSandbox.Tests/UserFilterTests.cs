namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class UserFilterTests
{
    [Theory]
    [InlineData("mail eq 'a@b.c'", "Mail", "a@b.c")]
    [InlineData("MAIL EQ 'a@b.c'", "Mail", "a@b.c")]
    [InlineData("employeeId eq '007'", "EmployeeId", "007")]
    [InlineData("userPrincipalName eq 'o''brien@b.c'", "UserPrincipalName", "o'brien@b.c")]
    [InlineData("mail eq ''''", "Mail", "'")]
    [InlineData("mail eq 'x'' or ''1''=''1'", "Mail", "x' or '1'='1")]
    [InlineData("id eq '{E322F459-1F7E-41E3-B903-5CEB208D9205}'", "Id", "{E322F459-1F7E-41E3-B903-5CEB208D9205}")]
    public void Parses_one_eq_clause(string text, string property, string value)
    {
        Assert.True(UserFilter.TryParse(text, out var filter, out var error), error?.Message);

        Assert.Equal((property, value), (filter.Property.ToString(), filter.Value));
    }

    [Theory]
    [InlineData("mail eq 'x' or 1 eq 1 or id eq ''")]
    [InlineData("mail eq 'x''")]
    [InlineData("mail eq 'x' '")]
    [InlineData("mail eq'x'")]
    [InlineData("mail  eq")]
    [InlineData("mail")]
    [InlineData("mail in ('a','b')")]
    [InlineData("not mail eq 'x'")]
    [InlineData("mail eq 'x';")]
    [InlineData("mail eq 'x'\t")]
    public void Refuses_everything_else(string text)
    {
        Assert.False(UserFilter.TryParse(text, out _, out var error));

        Assert.Equal(400, error.StatusCode);
    }
}
