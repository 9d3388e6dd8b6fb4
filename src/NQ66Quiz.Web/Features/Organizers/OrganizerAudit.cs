using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Filters;
using Npgsql;

namespace NQ66Quiz.Web.Features.Organizers;

public sealed record AuditEntry(long Id, DateTimeOffset At, long? AccountId, string? AccountEmail, string? AccountName, string Action,
    string? Target, string Detail, string? Ip);

/// <summary>Marks an organizer endpoint that neither changes data nor reads personal data, so it is not audited.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class NotAuditedAttribute : Attribute;

/// <summary>Marks an organizer page whose GET shows personal data (names, phones, units of participants): audited.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AuditReadsAttribute : Attribute;

/// <summary>
/// The one writer of <c>audit_log</c> (nhật ký thao tác). The organizer route group runs <see cref="OrganizerAuditFilter"/>
/// and the organizer pages <see cref="OrganizerPageAuditFilter"/>: every organizer API call is written unless its
/// endpoint is marked <see cref="NotAuditedAttribute"/> (reads of nothing personal), every page POST is written, and
/// page GETs marked <see cref="AuditReadsAttribute"/>. Request bodies are never stored (they may hold passwords).
/// </summary>
public sealed class OrganizerAudit(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task WriteAsync(long? accountId, string action, string? target, object? detail, IPAddress? ip, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (at, account_id, action, target, detail, ip)
            VALUES (@at, @accountId, @action, @target, @detail::jsonb, @ip::inet)
            """, new { at = clock.GetUtcNow(), accountId, action, target, detail = JsonSerializer.Serialize(detail ?? new { }),
                // Dapper does not take IPAddress; PostgreSQL parses the text (v4, v6 and v4-mapped v6 alike).
                ip = ip?.ToString() },
            cancellationToken: ct));
    }

    public Task WriteAsync(HttpContext http, string action, string? target, object? detail) =>
        WriteAsync(AccountOf(http.User), action, target, detail, http.Connection.RemoteIpAddress, CancellationToken.None);

    public static long? AccountOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(OrganizerClaims.AccountId), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public sealed record Query(DateTimeOffset? From = null, DateTimeOffset? To = null, long? AccountId = null, string? Action = null, int Limit = 500);

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(Query query, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long Id, DateTime At, long? AccountId, string? Email, string? Name, string Action, string? Target, string Detail, string? Ip)>(
            new CommandDefinition("""
                SELECT l.id, l.at, l.account_id, a.email, a.name, l.action, l.target, l.detail::text, host(l.ip)
                FROM audit_log l LEFT JOIN organizer_accounts a ON a.id = l.account_id
                WHERE (@From::timestamptz IS NULL OR l.at >= @From) AND (@To::timestamptz IS NULL OR l.at < @To)
                  AND (@AccountId::bigint IS NULL OR l.account_id = @AccountId)
                  AND (@Action::text IS NULL OR l.action ILIKE '%' || @Action || '%')
                ORDER BY l.at DESC, l.id DESC
                LIMIT @Limit
                """, new { query.From, query.To, query.AccountId, Action = string.IsNullOrWhiteSpace(query.Action) ? null : query.Action.Trim(),
                    Limit = Math.Clamp(query.Limit, 1, 100_000) }, cancellationToken: ct));
        return [.. rows.Select(r => new AuditEntry(r.Id, new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)), r.AccountId, r.Email, r.Name,
            r.Action, r.Target, r.Detail, r.Ip))];
    }

    /// <summary>UTF-8 with BOM so Excel opens Vietnamese correctly; times in Vietnam time.</summary>
    public static byte[] Csv(IEnumerable<AuditEntry> entries)
    {
        var csv = new StringBuilder("thoi_gian,tai_khoan,ho_ten,thao_tac,doi_tuong,chi_tiet,ip\r\n");
        foreach (var e in entries)
        {
            csv.AppendJoin(',', [
                Field(Contests.VietnamTime.ToLocal(e.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                Field(e.AccountEmail), Field(e.AccountName), Field(e.Action), Field(e.Target), Field(e.Detail), Field(e.Ip)]).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static string Field(string? value)
    {
        var v = value ?? "";
        // A leading =, +, - or @ would run as a formula in a spreadsheet (CSV injection).
        if (v.Length > 0 && v[0] is '=' or '+' or '-' or '@')
        {
            v = "'" + v;
        }
        return v.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}

/// <summary>Audits the organizer API: on the one <c>/api/organizer</c> group, so new endpoints are audited by default.</summary>
public sealed class OrganizerAuditFilter(OrganizerAudit audit) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var endpoint = http.GetEndpoint();
        // Anonymous endpoints (sign-in, accepting an invitation) write their own rows: they know the account.
        if (endpoint?.Metadata.GetMetadata<NotAuditedAttribute>() is not null
            || endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
        {
            return await next(context);
        }
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await WriteAsync(http, endpoint, StatusCodes.Status500InternalServerError);
            throw;
        }
        await WriteAsync(http, endpoint, (result as IStatusCodeHttpResult)?.StatusCode ?? http.Response.StatusCode);
        return result;
    }

    private Task WriteAsync(HttpContext http, Endpoint? endpoint, int status)
    {
        var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value;
        var route = http.Request.RouteValues.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString(), StringComparer.Ordinal);
        return audit.WriteAsync(http, $"{http.Request.Method} {pattern}", http.Request.Path + http.Request.QueryString,
            new { status, route });
    }
}

/// <summary>Audits organizer pages (Pages/Organizer): every POST, and GETs of pages marked <see cref="AuditReadsAttribute"/>.</summary>
public sealed class OrganizerPageAuditFilter(OrganizerAudit audit) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var isOrganizerPage = context.ActionDescriptor.ViewEnginePath.StartsWith("/Organizer/", StringComparison.Ordinal);
        var audited = isOrganizerPage && http.User.Identity?.IsAuthenticated == true
            && (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                || context.HandlerInstance.GetType().IsDefined(typeof(AuditReadsAttribute), inherit: false));
        var executed = await next();
        if (audited)
        {
            var status = executed.Exception is not null && !executed.ExceptionHandled ? StatusCodes.Status500InternalServerError : http.Response.StatusCode;
            var handler = context.HandlerMethod?.Name;
            await audit.WriteAsync(http, $"{http.Request.Method} page {context.ActionDescriptor.ViewEnginePath}" + (handler is null ? "" : $" ({handler})"),
                http.Request.Path + http.Request.QueryString, new { status, valid = context.ModelState.IsValid });
        }
    }
}
