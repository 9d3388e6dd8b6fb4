using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using NQ66Quiz.Web.Features.Practice;
using NQ66Quiz.Web.Features.Study;

namespace NQ66Quiz.Web.Pages.Practice;

[AllowAnonymous]
public sealed class IndexModel(NpgsqlDataSource db, StudyLibrary study) : PageModel
{
    /// <param name="Subtitle">The study page's title without its leading "Quan điểm 2: ", which the label already says.</param>
    public sealed record Choice(Tag Scope, string Subtitle, long Available);

    /// <summary>The part to practise (<c>?phan=quan-diem-2</c>); empty shows the chooser.</summary>
    [BindProperty(Name = "phan", SupportsGet = true)]
    public string? Phan { get; set; }

    public Tag? Scope { get; private set; }

    public string? ScopeTitle { get; private set; }

    public string? UnknownPart { get; private set; }

    public IReadOnlyList<Choice> Choices { get; private set; } = [];

    public bool SignedIn { get; private set; }

    public IReadOnlyList<WeakPoint> WeakPoints { get; private set; } = [];

    public IReadOnlyList<PracticeSetResult> RecentSets { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var participantId = PracticeParticipant.IdOf(User);
        SignedIn = participantId is not null;
        if (!string.IsNullOrWhiteSpace(Phan))
        {
            if (Tag.TryParse(Phan, out var scope))
            {
                Scope = scope;
                ScopeTitle = study.Find(scope.Slug)?.Title;
                return;
            }
            UnknownPart = Phan.Trim();
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        var available = await PracticeHistory.AvailableAsync(db, ct);
        Choices = [.. Tag.All.Select(s => new Choice(s, Subtitle(s, study.Find(s.Slug)?.Title), available.GetValueOrDefault(s.Slug)))];
        if (participantId is { } id)
        {
            WeakPoints = await PracticeHistory.WeakPointsAsync(db, id, ct);
            RecentSets = await PracticeHistory.RecentSetsAsync(db, id, 10, ct);
        }
    }

    private static string Subtitle(Tag scope, string? title) =>
        title is null ? ""
        : title.StartsWith(scope.Label + ":", StringComparison.Ordinal) ? title[(scope.Label.Length + 1)..].Trim()
        : title;

    public static string PartOf(Tag scope) => scope.Kind switch
    {
        TagKind.Viewpoint => "Quan điểm chỉ đạo",
        TagKind.Task => "Nhiệm vụ, giải pháp",
        _ => "Chủ đề",
    };
}
