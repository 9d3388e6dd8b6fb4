using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Privacy;

namespace NQ66Quiz.Web.Pages.Privacy;

/// <summary>/quyen-rieng-tu: the privacy page, rendered from content/privacy/chinh-sach.md; open to everyone.</summary>
[AllowAnonymous]
public sealed class IndexModel(PrivacyTexts texts) : PageModel
{
    public string PolicyHtml => texts.PolicyHtml;

    public ConsentVersion Consent => texts.Current;

    /// <summary>Set after a participant erased their data (the account page sends them here).</summary>
    [BindProperty(SupportsGet = true, Name = "da-xoa")]
    public bool Erased { get; set; }

    public void OnGet()
    {
    }
}
