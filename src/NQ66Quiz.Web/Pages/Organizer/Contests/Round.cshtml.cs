using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;

namespace NQ66Quiz.Web.Pages.Organizer.Contests;

public sealed class RoundModel(ContestStore store, ContestSetup setup, RoundClose close, RoundResults results, LeaderboardRebuild rebuild,
    RoundEnd end, TimeProvider clock, Microsoft.Extensions.Options.IOptions<ContestOptions> options, Features.AntiCheat.CheatFlags cheatFlags) : PageModel
{
    /// <summary>The public results page as it will be published (the confirmation shows it); null until results are computed.</summary>
    public PublicResults? Preview { get; private set; }

    /// <summary>Attempts to look at again before publishing (issue 14, item 3); null until results are computed.</summary>
    public Features.AntiCheat.RoundFlags? Flags { get; private set; }

    public (string By, DateTimeOffset At, DateTimeOffset PlannedClose)? EndedEarly { get; private set; }

    public int OpenAttempts { get; private set; }

    public int GraceSeconds => (int)options.Value.Grace.TotalSeconds;

    public RoundView Round { get; private set; } = null!;

    public RoundResultsView? Results { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public List<string> Errors { get; private set; } = [];

    public string? Message { get; private set; }

    [BindProperty(Name = "Round")]
    public RoundForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(long roundId, CancellationToken ct)
    {
        if (!await LoadAsync(roundId, ct))
        {
            return NotFound();
        }
        Form = RoundForm.From(Round);
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(long roundId, CancellationToken ct) =>
        ActAsync(roundId, async () => ContestModel.Describe(await setup.UpdateRoundAsync(roundId, Form.ToRequest(), ct), "Đã lưu tuần thi."), keepForm: true, ct);

    public Task<IActionResult> OnPostCloseAsync(long roundId, CancellationToken ct) =>
        ActAsync(roundId, async () => ContestModel.Describe(await close.CloseAsync(roundId, recompute: true, ct: ct), "Đã tính kết quả."), keepForm: false, ct);

    public Task<IActionResult> OnPostEndAsync(long roundId, CancellationToken ct) =>
        ActAsync(roundId, async () => await end.EndNowAsync(roundId, User.Identity?.Name ?? "Ban tổ chức", ct) switch
        {
            SetupResult<RoundEnded>.Ok { Value: var ended } => ([], ended.OpenAttempts == 0
                ? "Đã kết thúc tuần thi; kết quả được tính sau thời gian gia hạn."
                : $"Đã kết thúc tuần thi. {ended.OpenAttempts} lượt đang làm được nộp đến {VietnamTime.Format(ended.GraceUntil)}, sau đó tính với các câu đã lưu."),
            SetupResult<RoundEnded>.Refused refused => ([refused.Message], null),
            _ => (["Không tìm thấy tuần thi."], null),
        }, keepForm: false, ct);

    public Task<IActionResult> OnPostPublishAsync(long roundId, CancellationToken ct) =>
        ActAsync(roundId, async () => ContestModel.Describe(await results.PublishAsync(roundId, ct), "Đã công bố kết quả."), keepForm: false, ct);

    public Task<IActionResult> OnPostRebuildAsync(long roundId, CancellationToken ct) =>
        ActAsync(roundId, async () =>
        {
            var report = await rebuild.RebuildAllAsync(ct);
            return ([], $"Đã dựng lại bảng xếp hạng của {report.Rounds} tuần thi ({report.LiveEntries} người) trong {report.ElapsedMs} ms.");
        }, keepForm: false, ct);

    private async Task<IActionResult> ActAsync(long roundId, Func<Task<(List<string>, string?)>> action, bool keepForm, CancellationToken ct)
    {
        (Errors, Message) = await action();
        if (!await LoadAsync(roundId, ct))
        {
            return NotFound();
        }
        if (!keepForm || Errors.Count == 0)
        {
            Form = RoundForm.From(Round);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(long roundId, CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        if (await store.GetRoundAsync(roundId, ct) is not { } round)
        {
            return false;
        }
        Round = round;
        Results = round.ClosedAt is null ? null : await results.ReviewAsync(roundId, 100, ct);
        Preview = round.ClosedAt is null || round.ResultsPublishedAt is not null ? null : await results.PreviewAsync(roundId, ct);
        Flags = round.ClosedAt is null ? null : await cheatFlags.ReadAsync(roundId, ct);
        EndedEarly = await end.EndedEarlyAsync(roundId, ct);
        OpenAttempts = round.StatusAt(Now) == RoundStatus.Open ? await end.OpenAttemptsAsync(roundId, ct) : 0;
        return true;
    }
}
