using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Npgsql;

namespace NQ66Quiz.Web.Features.Organizers;

/// <summary>
/// Whether a unit, contest or round is inside an organizer's scope, each a query through <see cref="OrganizerScope.SqlFilter"/>.
/// A contest belongs to its <c>organizing_unit_id</c>; a round to its contest.
/// </summary>
public sealed class ScopeGuard(NpgsqlDataSource dataSource)
{
    public async Task<bool> UnitAsync(OrganizerScope scope, int unitId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM units u WHERE u.id = @unitId AND {OrganizerScope.SqlFilter("u.id")})",
            new { unitId, ScopeRoot = scope.SubtreeRoot }, cancellationToken: ct));
    }

    public async Task<bool> ContestAsync(OrganizerScope scope, long contestId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM contests c WHERE c.id = @contestId AND {OrganizerScope.SqlFilter("c.organizing_unit_id")})",
            new { contestId, ScopeRoot = scope.SubtreeRoot }, cancellationToken: ct));
    }

    public async Task<bool> RoundAsync(OrganizerScope scope, long roundId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition($"""
            SELECT EXISTS (SELECT 1 FROM contest_rounds r JOIN contests c ON c.id = r.contest_id
                           WHERE r.id = @roundId AND {OrganizerScope.SqlFilter("c.organizing_unit_id")})
            """, new { roundId, ScopeRoot = scope.SubtreeRoot }, cancellationToken: ct));
    }

    /// <summary>
    /// For endpoints marked <see cref="ReadsOwnSubtreeOfContestAttribute"/>: a contest of the caller's subtree, or of a unit
    /// above theirs (the city's contest, in which their people take part). The endpoint itself narrows every row to the
    /// caller's subtree.
    /// </summary>
    public async Task<bool> ContestReachesAsync(OrganizerScope scope, long contestId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition($"""
            SELECT EXISTS (SELECT 1 FROM contests c WHERE c.id = @contestId
                           AND ({OrganizerScope.SqlFilter("c.organizing_unit_id")} OR c.organizing_unit_id IN (SELECT unit_ancestors(@ScopeRoot::integer))))
            """, new { contestId, ScopeRoot = scope.SubtreeRoot }, cancellationToken: ct));
    }

    /// <summary>The round of a contest that <see cref="ContestReachesAsync"/>.</summary>
    public async Task<bool> RoundReachesAsync(OrganizerScope scope, long roundId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var contestId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT contest_id FROM contest_rounds WHERE id = @roundId", new { roundId }, cancellationToken: ct));
        return contestId is { } id && await ContestReachesAsync(scope, id, ct);
    }

    /// <summary>
    /// Route values that name unit-owned data, checked on every organizer request that has them: out of scope is 404
    /// (the row is "not found" for this organizer). A new endpoint that names its ids this way is scoped by default.
    /// </summary>
    public async Task<bool> RouteInScopeAsync(OrganizerScope scope, RouteValueDictionary route, CancellationToken ct, bool contestFromAbove = false)
    {
        if (scope.SeesEverything)
        {
            return true;
        }
        if (Long(route, "contestId") is { } contestId
            && !await (contestFromAbove ? ContestReachesAsync(scope, contestId, ct) : ContestAsync(scope, contestId, ct)))
        {
            return false;
        }
        if (Long(route, "roundId") is { } roundId
            && !await (contestFromAbove ? RoundReachesAsync(scope, roundId, ct) : RoundAsync(scope, roundId, ct)))
        {
            return false;
        }
        return Long(route, "unitId") is not { } unitId || await UnitAsync(scope, (int)unitId, ct);
    }

    internal static long? Long(RouteValueDictionary route, string key) =>
        route.TryGetValue(key, out var v) && long.TryParse(v?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

/// <summary>
/// Marks an organizer endpoint or page that reads a contest only through the caller's own subtree (unit figures, reports,
/// certificates of their people): it may name a contest of a unit above the caller's, since the caller's people take part
/// in it. <see cref="ScopeFilter"/> and <see cref="ScopePageFilter"/> then accept such a contest; every other check stays.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class ReadsOwnSubtreeOfContestAttribute : Attribute;

/// <summary>A request body that names the unit it will belong to (a contest's organizing unit, a new sub-unit's parent).</summary>
public interface IOwnedByUnit
{
    int? OwningUnitId { get; }
}

/// <summary>
/// Scopes the organizer API: ids in the route (<c>{contestId}</c>, <c>{roundId}</c>, <c>{unitId}</c>) must be inside the
/// caller's unit subtree (else 404), and a body naming its owning unit (<see cref="IOwnedByUnit"/>) must too (else 403).
/// </summary>
public sealed class ScopeFilter(ScopeGuard guard) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!OrganizerScope.TryFrom(http.User, out var scope) || scope.SeesEverything)
        {
            return await next(context);
        }
        var fromAbove = http.GetEndpoint()?.Metadata.GetMetadata<ReadsOwnSubtreeOfContestAttribute>() is not null;
        if (!await guard.RouteInScopeAsync(scope, http.Request.RouteValues, http.RequestAborted, fromAbove))
        {
            return TypedResults.NotFound();
        }
        foreach (var owned in context.Arguments.OfType<IOwnedByUnit>())
        {
            if (owned.OwningUnitId is { } unit && !await guard.UnitAsync(scope, unit, http.RequestAborted))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                    title: "Bạn chỉ làm việc được với đơn vị của mình và các đơn vị trực thuộc.");
            }
        }
        return await next(context);
    }
}

/// <summary>The same rule for the organizer pages: route ids out of scope are 404, bound forms naming another unit are 403.</summary>
public sealed class ScopePageFilter(ScopeGuard guard) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (!context.ActionDescriptor.ViewEnginePath.StartsWith("/Organizer/", StringComparison.Ordinal)
            || !OrganizerScope.TryFrom(http.User, out var scope) || scope.SeesEverything)
        {
            await next();
            return;
        }
        var route = new RouteValueDictionary(context.RouteData.Values);
        // The contest pages call their contest "id" (/to-chuc/cuoc-thi/{id}).
        if (context.ActionDescriptor.ViewEnginePath.StartsWith("/Organizer/Contests/", StringComparison.Ordinal) && route.TryGetValue("id", out var id))
        {
            route["contestId"] = id;
        }
        var fromAbove = context.HandlerInstance.GetType().IsDefined(typeof(ReadsOwnSubtreeOfContestAttribute), inherit: false);
        if (!await guard.RouteInScopeAsync(scope, route, http.RequestAborted, fromAbove))
        {
            context.Result = new NotFoundResult();
            return;
        }
        foreach (var property in context.HandlerInstance.GetType().GetProperties())
        {
            if (typeof(IOwnedByUnit).IsAssignableFrom(property.PropertyType) && property.GetValue(context.HandlerInstance) is IOwnedByUnit { OwningUnitId: { } unit }
                && !HttpMethods.IsGet(http.Request.Method) && !await guard.UnitAsync(scope, unit, http.RequestAborted))
            {
                context.Result = new ForbidResult();
                return;
            }
        }
        await next();
    }
}
