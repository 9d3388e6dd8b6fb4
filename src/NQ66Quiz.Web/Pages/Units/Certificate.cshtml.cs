using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Certificates;

namespace NQ66Quiz.Web.Pages.Units;

[Microsoft.AspNetCore.Authorization.AllowAnonymous]
public sealed class CertificateModel(CertificateStore store) : PageModel
{
    public string? Code { get; private set; }

    public CertificateCheck? Found { get; private set; }

    public async Task OnGetAsync(string? code, CancellationToken ct)
    {
        Code = string.IsNullOrWhiteSpace(code) ? null : CertificateStore.NormalizeCode(code);
        Found = Code is null ? null : await store.CheckAsync(Code, ct);
    }
}
