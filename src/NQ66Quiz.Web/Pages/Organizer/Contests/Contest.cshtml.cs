using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Units;

namespace NQ66Quiz.Web.Pages.Organizer.Contests;

public sealed class ContestModel(ContestStore store, ContestSetup setup, UnitSearch units, TimeProvider clock) : PageModel
{
    public ContestView Contest { get; private set; } = null!;

    public IReadOnlyList<UnitSummary> Units { get; private set; } = [];

    public List<string> Errors { get; private set; } = [];

    public string? Message { get; private set; }

    public DateTimeOffset Now { get; private set; }

    [BindProperty]
    public ContestForm Form { get; set; } = new();

    [BindProperty]
    public RoundForm Round { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Form = ContestForm.From(Contest);
        Round = RoundForm.Next(Contest, Now);
        return Page();
    }

    public async Task<IActionResult> OnPostContestAsync(long id, CancellationToken ct)
    {
        var result = await setup.UpdateContestAsync(id, Form.ToRequest(), ct);
        (Errors, Message) = Describe(result, "Đã lưu cuộc thi.");
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Round = RoundForm.Next(Contest, Now);
        return Page();
    }

    public async Task<IActionResult> OnPostRoundAsync(long id, CancellationToken ct)
    {
        var result = await setup.CreateRoundAsync(id, Round.ToRequest(), ct);
        if (result is SetupResult<RoundView>.Ok ok)
        {
            return Redirect($"/to-chuc/cuoc-thi/tuan/{ok.Value.Id}");
        }
        (Errors, _) = Describe(result, "");
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Form = ContestForm.From(Contest);
        return Page();
    }

    internal static (List<string> Errors, string? Message) Describe<T>(SetupResult<T> result, string success) => result switch
    {
        SetupResult<T>.Ok => ([], success),
        SetupResult<T>.Invalid invalid => (invalid.Errors, null),
        SetupResult<T>.Refused refused => ([refused.Message], null),
        _ => (["Không tìm thấy."], null),
    };

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        if (await store.GetAsync(id, ct) is not { } contest)
        {
            return false;
        }
        Contest = contest;
        Units = await units.SearchAsync(null, UnitSearch.MaxResults, ct);
        return true;
    }
}

/// <summary>The round form: times in Vietnam time, up to eight blueprint lines, the count of each default prize.</summary>
public sealed class RoundForm
{
    public const int Lines = 8;

    public string? OpensAt { get; set; }
    public string? ClosesAt { get; set; }
    public int? TimeLimitMinutes { get; set; } = 10;
    public int? AttemptsAllowed { get; set; } = 3;
    public List<LineForm> Blueprint { get; set; } = [];
    public List<int> PrizeCounts { get; set; } = [.. Prizes.Default.Select(t => t.Count)];

    public sealed class LineForm
    {
        public int? Count { get; set; }
        public int? Viewpoint { get; set; }
        public int? Task { get; set; }
        public string? Topic { get; set; }
        public string? Difficulty { get; set; }
    }

    public RoundRequest ToRequest() => new(OpensAt, ClosesAt, TimeLimitMinutes, AttemptsAllowed,
        [.. Blueprint.Where(l => l.Count is > 0).Select(l => new BlueprintLine(l.Count!.Value, l.Viewpoint, l.Task, l.Topic, l.Difficulty))],
        [.. Prizes.Default.Select((t, i) => t with { Count = i < PrizeCounts.Count ? PrizeCounts[i] : 0 })]);

    public static RoundForm From(RoundView r) => new()
    {
        OpensAt = VietnamTime.ToForm(r.OpensAt),
        ClosesAt = VietnamTime.ToForm(r.ClosesAt),
        TimeLimitMinutes = r.TimeLimitSeconds / 60,
        AttemptsAllowed = r.AttemptsAllowed,
        Blueprint = [.. r.Blueprint.Select(l => new LineForm { Count = l.Count, Viewpoint = l.Viewpoint, Task = l.Task, Topic = l.Topic, Difficulty = l.Difficulty })],
        PrizeCounts = [.. Prizes.Default.Select(t => r.PrizeStructure.FirstOrDefault(p => p.Code == t.Code)?.Count ?? 0)],
    };

    /// <summary>A week after the last round, or from the next hour when there is none: how weekly rounds are usually laid out.</summary>
    public static RoundForm Next(ContestView contest, DateTimeOffset now)
    {
        var opens = contest.Rounds.Count > 0 ? contest.Rounds[^1].ClosesAt : now.AddTicks(-now.Ticks % TimeSpan.TicksPerHour).AddHours(1);
        return new RoundForm
        {
            OpensAt = VietnamTime.ToForm(opens),
            ClosesAt = VietnamTime.ToForm(opens.AddDays(7)),
            Blueprint = [new LineForm { Count = 10 }],
        };
    }
}
