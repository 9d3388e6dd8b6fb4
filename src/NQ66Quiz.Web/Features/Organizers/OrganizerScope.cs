using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Security.Claims;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Organizers;

/// <summary>The four organizer roles (vai trò). Stored in <c>organizer_accounts.role</c> and carried as role claims.</summary>
public static class OrganizerRoles
{
    /// <summary>Quản trị thành phố: everything, including accounts, the audit log and every unit.</summary>
    public const string CityAdmin = "city-admin";

    /// <summary>Ban tổ chức đơn vị: contests, figures, exports and participants of their unit's subtree only.</summary>
    public const string UnitOrganizer = "unit-organizer";

    /// <summary>Biên soạn câu hỏi: the question bank only (city-wide: the bank has no units).</summary>
    public const string QuestionAuthor = "question-author";

    /// <summary>Người dẫn vòng thi trực tiếp: live rounds only (of their unit's subtree).</summary>
    public const string LiveHost = "live-host";

    public static readonly IReadOnlyList<string> All = [CityAdmin, UnitOrganizer, QuestionAuthor, LiveHost];

    public static bool IsRole(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);

    public static string Label(string role) => role switch
    {
        CityAdmin => "Quản trị thành phố",
        UnitOrganizer => "Ban tổ chức đơn vị",
        QuestionAuthor => "Biên soạn câu hỏi",
        LiveHost => "Dẫn vòng thi trực tiếp",
        _ => role,
    };
}

/// <summary>The claims an organizer's cookie carries (besides <see cref="ClaimTypes.Name"/> and the role claims).</summary>
public static class OrganizerClaims
{
    /// <summary>The id of the account's unit (<c>units.id</c>); a city admin's is the city root.</summary>
    public const string UnitId = "nq66:unit";

    /// <summary>The id of the account (<c>organizer_accounts.id</c>), what the audit log records.</summary>
    public const string AccountId = "nq66:organizer";

    /// <summary>
    /// Every organizer also carries this role, whatever their own: <see cref="Platform.OrganizerPolicy"/> (the console
    /// and the one <c>/api/organizer</c> group) requires it; the narrower policies below add the role they need.
    /// </summary>
    public const string AnyOrganizerRole = "organizer";
}

/// <summary>
/// Authorization policies by duty. The organizer route group requires <see cref="Platform.OrganizerPolicy"/>
/// (any organizer); an endpoint adds one of these for its duty, and scopes its SQL with <see cref="OrganizerScope"/>.
/// </summary>
public static class OrganizerPolicies
{
    /// <summary>Contests, rounds, results, exports, participants, units and figures (scoped to the unit's subtree).</summary>
    public const string Contests = "organizer:contests";

    /// <summary>The question bank.</summary>
    public const string QuestionBank = "organizer:bank";

    /// <summary>Live rounds (scoped to the unit's subtree).</summary>
    public const string LiveRounds = "organizer:live";

    /// <summary>Accounts, invitations and the audit log: city admins only.</summary>
    public const string Admin = "organizer:admin";

    public static IServiceCollection AddOrganizerPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Contests, p => p.RequireRole(OrganizerRoles.CityAdmin, OrganizerRoles.UnitOrganizer))
            .AddPolicy(QuestionBank, p => p.RequireRole(OrganizerRoles.CityAdmin, OrganizerRoles.QuestionAuthor))
            .AddPolicy(LiveRounds, p => p.RequireRole(OrganizerRoles.CityAdmin, OrganizerRoles.UnitOrganizer, OrganizerRoles.LiveHost))
            .AddPolicy(Admin, p => p.RequireRole(OrganizerRoles.CityAdmin));
        return services;
    }

    /// <summary>Whether <paramref name="user"/> passes <paramref name="policy"/>, for pages that show or hide a section.</summary>
    public static bool Allows(ClaimsPrincipal user, string policy) => policy switch
    {
        Contests => user.IsInRole(OrganizerRoles.CityAdmin) || user.IsInRole(OrganizerRoles.UnitOrganizer),
        QuestionBank => user.IsInRole(OrganizerRoles.CityAdmin) || user.IsInRole(OrganizerRoles.QuestionAuthor),
        LiveRounds => user.IsInRole(OrganizerRoles.CityAdmin) || user.IsInRole(OrganizerRoles.UnitOrganizer) || user.IsInRole(OrganizerRoles.LiveHost),
        Admin => user.IsInRole(OrganizerRoles.CityAdmin),
        _ => false,
    };
}

/// <summary>
/// What one signed-in organizer may see: everything (a city admin) or the subtree of their unit. Take it as an endpoint
/// parameter (<c>(OrganizerScope scope, ...)</c>, bound from the cookie's claims) or build it with <see cref="From"/>,
/// and put <see cref="SqlFilter"/> in the WHERE clause of every query that reads unit-owned data, with
/// <see cref="SubtreeRoot"/> as the <c>@ScopeRoot</c> parameter:
/// <code>
/// SELECT ... FROM contests c WHERE c.id = @id AND {OrganizerScope.SqlFilter("c.organizing_unit_id")}
/// new { id, ScopeRoot = scope.SubtreeRoot }
/// </code>
/// A contest's owning unit is <c>contests.organizing_unit_id</c> (city-wide contests: the city root); a participant's,
/// entry's or result's is its <c>unit_id</c>. Out-of-scope rows are simply not found, so endpoints answer 404.
/// </summary>
public sealed record OrganizerScope(long AccountId, string Role, int UnitId)
{
    /// <summary>The parameter name <see cref="SqlFilter"/> expects.</summary>
    public const string Parameter = "ScopeRoot";

    /// <summary>City admins see every unit; every other role sees its unit's subtree.</summary>
    public bool SeesEverything => Role == OrganizerRoles.CityAdmin;

    /// <summary>The value for <c>@ScopeRoot</c>: null for "everything", else the organizer's unit.</summary>
    public int? SubtreeRoot => SeesEverything ? null : UnitId;

    /// <summary>
    /// THE scope condition: true when <paramref name="unitColumn"/> is in the subtree of <c>@ScopeRoot</c> (SQL function
    /// <c>unit_subtree(root)</c>, migration 0020), or when <c>@ScopeRoot</c> is null (city admin).
    /// </summary>
    public static string SqlFilter(string unitColumn, string parameter = Parameter) =>
        $"(@{parameter}::integer IS NULL OR {unitColumn} IN (SELECT unit_subtree(@{parameter}::integer)))";

    public static bool TryFrom(ClaimsPrincipal user, [NotNullWhen(true)] out OrganizerScope? scope)
    {
        scope = null;
        var role = OrganizerRoles.All.FirstOrDefault(user.IsInRole);
        if (role is null
            || !long.TryParse(user.FindFirstValue(OrganizerClaims.AccountId), NumberStyles.None, CultureInfo.InvariantCulture, out var account)
            || !int.TryParse(user.FindFirstValue(OrganizerClaims.UnitId), NumberStyles.None, CultureInfo.InvariantCulture, out var unit))
        {
            return false;
        }
        scope = new OrganizerScope(account, role, unit);
        return true;
    }

    /// <summary>The scope of a signed-in organizer; throws for anyone else (call it only behind the organizer policy).</summary>
    public static OrganizerScope From(ClaimsPrincipal user) =>
        TryFrom(user, out var scope) ? scope : throw new InvalidOperationException("The user is not a signed-in organizer account.");

    /// <summary>Minimal-API binding: a handler parameter of this type is the caller's scope; null (→ 400) only outside the policy.</summary>
    public static ValueTask<OrganizerScope?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(TryFrom(context.User, out var scope) ? scope : null);

    /// <summary>Claims for a cookie of this account (what <see cref="TryFrom"/> reads back).</summary>
    public static IEnumerable<Claim> Claims(long accountId, string name, string email, string role, int unitId) =>
    [
        new(ClaimTypes.Name, name),
        new(ClaimTypes.Email, email),
        new(ClaimTypes.Role, OrganizerClaims.AnyOrganizerRole),
        new(ClaimTypes.Role, role),
        new(OrganizerClaims.AccountId, accountId.ToString(CultureInfo.InvariantCulture)),
        new(OrganizerClaims.UnitId, unitId.ToString(CultureInfo.InvariantCulture)),
    ];
}
