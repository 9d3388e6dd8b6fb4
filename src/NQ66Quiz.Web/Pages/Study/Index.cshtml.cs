using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Study;

namespace NQ66Quiz.Web.Pages.Study;

[AllowAnonymous]
public sealed class IndexModel(StudyLibrary library) : PageModel
{
    /// <summary>The pages in <c>order</c>, grouped under the heading of their part (viewpoints, tasks, goals and plan).</summary>
    public IReadOnlyList<IGrouping<string, StudyPage>> Parts { get; private set; } = [];

    public void OnGet() => Parts = [.. library.Pages.GroupBy(p => PartOf(p.Slug))];

    public static string PartOf(string slug) =>
        slug.StartsWith("quan-diem-", StringComparison.Ordinal) ? "05 quan điểm chỉ đạo"
        : slug.StartsWith("nhiem-vu-", StringComparison.Ordinal) ? "07 nhiệm vụ, giải pháp"
        : "Mục tiêu và Kế hoạch của Thành phố";
}
