using System.Data;
using Dapper;

namespace NQ66Quiz.Web.Common;

/// <summary>
/// Every timestamp column is <c>timestamptz</c> and Npgsql reads it as a UTC <see cref="DateTime"/>; records take
/// <see cref="DateTimeOffset"/>. This handler does the conversion once for every query (Dapper matches a record's
/// constructor when a handler exists for a parameter's type), so no call converts by hand.
/// </summary>
public sealed class UtcTimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public static void Register() => SqlMapper.AddTypeHandler(new UtcTimestampHandler());

    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        DateTimeOffset t => t.ToUniversalTime(),
        _ => throw new DataException($"expected a timestamptz, got {value.GetType().Name}"),
    };

    // Npgsql writes only UTC values to timestamptz.
    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.ToUniversalTime();
}
