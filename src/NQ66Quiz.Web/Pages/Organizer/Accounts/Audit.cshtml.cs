using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Features.Organizers;

namespace NQ66Quiz.Web.Pages.Organizer.Accounts;

/// <summary>Nhật ký thao tác: the latest audit rows, filtered by day and action, with the CSV of the same filter.</summary>
[AuditReads]
public sealed class AuditModel(OrganizerAudit audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Day { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public string CsvLink { get; private set; } = "/api/organizer/audit.csv";

    public async Task OnGetAsync(CancellationToken ct)
    {
        DateTimeOffset? from = null, to = null;
        if (DateOnly.TryParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            // Vietnam keeps UTC+7 all year (no daylight saving).
            from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7));
            to = from.Value.AddDays(1);
        }
        Entries = await audit.ReadAsync(new OrganizerAudit.Query(from, to, null, Action, 500), ct);
        var query = new List<string>();
        if (from is not null) { query.Add("from=" + Uri.EscapeDataString(from.Value.ToString("O", CultureInfo.InvariantCulture)) + "&to=" + Uri.EscapeDataString(to!.Value.ToString("O", CultureInfo.InvariantCulture))); }
        if (!string.IsNullOrWhiteSpace(Action)) { query.Add("action=" + Uri.EscapeDataString(Action)); }
        CsvLink = "/api/organizer/audit.csv" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }
}
