using System.ComponentModel.DataAnnotations;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Tests.Infrastructure;

public sealed class OptionsTests
{
    private static List<string> Errors(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }

    [Fact]
    public void Missing_connection_strings_tell_the_operator_which_variable_to_set()
    {
        var errors = Errors(new ConnectionOptions());

        Assert.Contains(errors, e => e.Contains("ConnectionStrings__Postgres", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ConnectionStrings__Redis", StringComparison.Ordinal));
    }

    [Fact]
    public void A_malformed_postgres_connection_string_is_rejected_with_the_reason()
    {
        var errors = Errors(new ConnectionOptions { Postgres = "Hots=x;;Port=notanumber", Redis = "127.0.0.1:1" });

        var error = Assert.Single(errors);
        Assert.Contains("not a valid Npgsql connection string", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_connection_strings_pass()
    {
        Assert.Empty(Errors(new ConnectionOptions { Postgres = "Host=127.0.0.1;Port=55432;Database=nq66", Redis = "127.0.0.1:56379" }));
    }

    [Theory]
    [InlineData("nq66:", true)]
    [InlineData("test:abc123:", true)]
    [InlineData("", false)]
    [InlineData("Có dấu", false)]
    public void Redis_key_prefix_is_checked(string prefix, bool valid)
    {
        Assert.Equal(valid, Errors(new RedisOptions { KeyPrefix = prefix }).Count == 0);
    }
}
