using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>
/// PostgreSQL unreachable (restarting, failing over, network cut): every request that needs it answers 503 with a
/// Vietnamese message and Retry-After instead of a 500. Each write is one transaction, so a request cut here left
/// nothing half-written; the participant retries and the same request succeeds once the database is back.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const string Title = "Hệ thống đang tạm gián đoạn kết nối dữ liệu";
    public const string Detail = "Yêu cầu chưa được ghi nhận và không có dữ liệu nào bị ghi dở. Bài làm đã lưu trước đó vẫn còn nguyên; vui lòng thử lại sau vài giây.";
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // API callers get the 503 to retry; a browser's page request falls through to the Vietnamese error page.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path;
        if (!IsUnavailable(exception) || !path.StartsWith("/api", StringComparison.Ordinal))
        {
            return false;
        }
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = Title, Detail = Detail },
        });
        if (!written)
        {
            httpContext.Response.ContentType = "text/plain; charset=utf-8";
            await httpContext.Response.WriteAsync(Title + ". " + Detail, cancellationToken);
        }
        return true;
    }

    /// <summary>
    /// The server is not there or is going away: connection failures, shutdown and "cannot connect now" states, and the
    /// pool's timeout while it cannot open connections. Errors in a statement (constraint, syntax) are not this.
    /// </summary>
    public static bool IsUnavailable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now; 53300: too many connections.
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300";
                case NpgsqlException { InnerException: SocketException or IOException or TimeoutException or EndOfStreamException }:
                case NpgsqlException n when n.IsTransient:
                    return true;
                case SocketException:
                    return true;
            }
        }
        return false;
    }
}
