using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Study;

namespace NQ66Quiz.Web.Pages.Study;

[AllowAnonymous]
public sealed class ReadModel(StudyLibrary library) : PageModel
{
    public StudyPage? StudyPage { get; private set; }

    /// <summary>Where "Luyện tập phần này" goes: the practice of this page's viewpoint, task or topic.</summary>
    public string? PracticePath { get; private set; }

    public string Slug { get; private set; } = "";

    public void OnGet(string slug)
    {
        Slug = slug;
        StudyPage = library.Find(slug.Trim().ToLowerInvariant());
        if (StudyPage is null)
        {
            // A real 404 (for crawlers and monitoring) that still shows a Vietnamese page with the way back.
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        PracticePath = Tag.TryParse(StudyPage.Slug, out var scope) ? scope.PracticePath : null;
    }
}
