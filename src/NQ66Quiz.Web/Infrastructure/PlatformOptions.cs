using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>Where PostgreSQL and Redis are. Bound from <c>ConnectionStrings</c> (env: <c>ConnectionStrings__Postgres</c>).</summary>
public sealed class ConnectionOptions : IValidatableObject
{
    public const string Section = "ConnectionStrings";

    public string Postgres { get; set; } = "";
    public string Redis { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Postgres))
        {
            yield return new("ConnectionStrings:Postgres is empty: set ConnectionStrings__Postgres, e.g. "
                + "\"Host=127.0.0.1;Port=55432;Username=nq66;Password=nq66;Database=nq66\".", [nameof(Postgres)]);
        }
        else
        {
            string? error = null;
            try { _ = new NpgsqlConnectionStringBuilder(Postgres); }
            catch (ArgumentException e) { error = e.Message; }
            if (error is not null)
            {
                yield return new($"ConnectionStrings:Postgres is not a valid Npgsql connection string ({error}).", [nameof(Postgres)]);
            }
        }
        if (string.IsNullOrWhiteSpace(Redis))
        {
            yield return new("ConnectionStrings:Redis is empty: set ConnectionStrings__Redis, e.g. \"127.0.0.1:56379\".", [nameof(Redis)]);
        }
    }
}

public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>Every key the app writes starts with this, so several deployments or test runs can share one server.</summary>
    [Required, RegularExpression(@"^[a-z0-9:_\-]{1,64}$", ErrorMessage = "Redis:KeyPrefix must be 1-64 of a-z, 0-9, ':', '_', '-'.")]
    public string KeyPrefix { get; set; } = "nq66:";
}

public sealed class ContentOptions
{
    public const string Section = "Content";

    /// <summary>When set, the content folder is imported at start-up (the run command sets it); empty in tests.</summary>
    public string? ImportOnStart { get; set; }
}
