using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Npgsql;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Pages.Contests;

[EnableRateLimiting(RateLimits.AttemptStart)]
[AllowAnonymous]
public sealed class ContestModel(ContestStore store, AttemptStart start, NpgsqlDataSource dataSource, TimeProvider clock) : PageModel
{
    public ContestView Contest { get; private set; } = null!;

    public DateTimeOffset Now { get; private set; }

    /// <summary>Attempts used per round id by the signed-in participant (empty for visitors).</summary>
    public Dictionary<long, int> Used { get; private set; } = [];

    public long? ParticipantId => ParticipantAccounts.IdOf(User);

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct) => await LoadAsync(slug, ct) ? Page() : NoContest();

    public async Task<IActionResult> OnPostStartAsync(string slug, long roundId, CancellationToken ct)
    {
        if (ParticipantId is not { } me)
        {
            return Redirect($"/dang-nhap?ReturnUrl={Uri.EscapeDataString($"/cuoc-thi/{slug}")}");
        }
        var origin = Features.AntiCheat.AttemptOrigins.Of(HttpContext);
        var outcome = await start.StartAsync(me, roundId, origin, ct);
        if (outcome is Outcome<StartedAttempt>.Ok ok)
        {
            if (!ok.Value.Resumed)
            {
                Features.AntiCheat.AttemptOrigins.Remember(HttpContext, origin);
            }
            return Redirect($"/cuoc-thi/luot-thi/{ok.Value.AttemptId}");
        }
        Error = ((Outcome<StartedAttempt>.Failed)outcome).Message;
        return await LoadAsync(slug, ct) ? Page() : NoContest();
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        if (await store.GetAsync(slug, ct) is not { } contest)
        {
            return false;
        }
        Contest = contest;
        if (ParticipantId is { } me)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            Used = (await connection.QueryAsync<(long RoundId, int Used)>(new CommandDefinition(
                "SELECT round_id, attempts_used FROM round_entries WHERE participant_id = @me", new { me }, cancellationToken: ct)))
                .ToDictionary(r => r.RoundId, r => r.Used);
        }
        return true;
    }

    private IActionResult NoContest() => this.ErrorPage(StatusCodes.Status404NotFound, "Không tìm thấy cuộc thi",
        "Địa chỉ này không ứng với cuộc thi nào; có thể đường dẫn bị gõ sai.", "/cuoc-thi", "Xem các cuộc thi");
}
