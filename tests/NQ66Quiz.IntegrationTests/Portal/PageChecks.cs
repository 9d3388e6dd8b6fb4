using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NQ66Quiz.IntegrationTests.Contests;

namespace NQ66Quiz.IntegrationTests.Portal;

/// <summary>What every page must pass at 360 px: tap targets, axe-core, no internal notes, a Vietnamese title.</summary>
public static partial class PageChecks
{
    /// <summary>The npm package axe-core (devDependency of the web project, installed by its build's npm ci).</summary>
    public static string AxePath => Path.Combine(TestData.RepositoryRoot(), "src", "NQ66Quiz.Web", "node_modules", "axe-core", "axe.min.js");

    // The minimum size of WCAG 2.5.5 (44 × 44 CSS px). A link inside a sentence is exempt, as WCAG exempts it: its
    // parent holds words of its own. Radio buttons and check boxes are measured by the label around them, which is
    // what a finger taps.
    private const string TapTargetScript = """
        () => {
          const min = 44;
          const visible = (e) => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
            return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"; };
          const inSentence = (a) => [...a.parentElement.childNodes].some((n) => n.nodeType === 3 && /[\p{L}\p{N}]/u.test(n.textContent));
          const name = (e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : ""} "${(e.innerText || e.value || e.getAttribute("aria-label") || "").trim().slice(0, 40)}"`;
          const bad = [];
          for (const e of document.querySelectorAll("a[href], button, input, select, textarea, summary")) {
            if (e.type === "hidden" || !visible(e)) continue;
            let target = e;
            if (e.matches("input[type=radio], input[type=checkbox]")) target = e.closest("label") ?? e;
            else if (e.matches("a") && inSentence(e)) continue;
            const r = target.getBoundingClientRect();
            if (r.width < min - 0.5 || r.height < min - 0.5) bad.push(`${name(target)} ${Math.round(r.width)}×${Math.round(r.height)}`);
          }
          return [...new Set(bad)];
        }
        """;

    public static async Task AssertTapTargetsAsync(IPage page)
    {
        var bad = await page.EvaluateAsync<string[]>(TapTargetScript);
        Assert.True(bad.Length == 0, $"{page.Url}: {bad.Length} tap target(s) under 44×44 px at 360 px:\n" + string.Join('\n', bad));
    }

    /// <summary>Runs axe-core on the page as it is now; every violation is listed with the elements it found.</summary>
    public static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        if (await page.EvaluateAsync<bool>("() => typeof window.axe === 'undefined'"))
        {
            await page.AddScriptTagAsync(new() { Path = AxePath });
        }
        var results = await page.EvaluateAsync<JsonElement>("""
            async () => { const r = await axe.run(document, { resultTypes: ["violations"] });
              return { passes: r.passes.length, violations: r.violations
                .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " ")).join(" | ")}`) }; }
            """);
        // A scan that checked nothing would also report nothing: axe-core's rules ran and some passed.
        Assert.True(results.GetProperty("passes").GetInt32() > 5, $"{page.Url}: axe-core ran no rules");
        var list = results.GetProperty("violations").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(list.Count == 0, $"{page.Url}: {list.Count} axe-core violation(s):\n" + string.Join('\n', list));
    }

    public static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"{page.Url} is {width}px wide at a 360px viewport");
    }

    /// <summary>All of it at once, with a screenshot kept for a person to look at.</summary>
    public static async Task AssertPhoneReadyAsync(IPage page, string screenshot)
    {
        var report = new PhoneReport();
        await report.CheckAsync(page, screenshot);
        report.AssertClean();
    }

    /// <summary>
    /// Notes for the people who wrote the content or the code, which a participant or an organizer must never read:
    /// review remarks, seed labels, fact-sheet references, file paths, setting names.
    /// </summary>
    [GeneratedRegex(@"đang xác minh|\(seed\)|\bseed\b|fact ?sheet|§|(^|[\s(""'>])(content|shared|work|tests?|src|reference)/|[\w-]+\.(md|csv|txt|cs|json)\b|\b[A-Z][A-Za-z]+__[A-Z][A-Za-z]+|\b(Portal|Contests|Certificates|ConnectionStrings|Redis|Content|LiveRounds|Organizers):[A-Z]|NQ66_[A-Z_]+|NQ66Quiz", RegexOptions.IgnoreCase)]
    public static partial Regex InternalNote();

    /// <summary>The text a person reads: the page's visible text, its title and the attributes a screen reader or a tooltip shows.</summary>
    public static string ReadableText(string html)
    {
        var text = Regex.Replace(html, @"<(script|style)\b[^>]*>.*?</\1>", " ", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        var attributes = string.Join(' ', Regex.Matches(text, @"\b(?:title|alt|aria-label|placeholder)=""([^""]*)""").Select(m => m.Groups[1].Value));
        text = Regex.Replace(text, "<[^>]+>", " ");
        return System.Net.WebUtility.HtmlDecode(text + " " + attributes);
    }

    public static void AssertNoInternalNotes(string path, string html)
    {
        var text = ReadableText(html);
        var found = InternalNote().Matches(text).Select(m => Context(text, m)).ToList();
        Assert.True(found.Count == 0, $"{path} shows internal notes:\n" + string.Join('\n', found));
    }

    private static string Context(string text, Match m)
    {
        var start = Math.Max(0, m.Index - 60);
        return "…" + Regex.Replace(text[start..Math.Min(text.Length, m.Index + m.Length + 60)], @"\s+", " ") + "…";
    }
}

/// <summary>Checks page after page of a walk and fails once at the end with everything found, so one run shows it all.</summary>
public sealed class PhoneReport
{
    private readonly List<string> _failures = [];

    public int Pages { get; private set; }

    public async Task CheckAsync(IPage page, string screenshot)
    {
        Pages++;
        await Infrastructure.Screenshots.KeepAsync(page, screenshot);
        foreach (var check in new Func<IPage, Task>[] { PageChecks.AssertNoSidewaysScrollAsync, PageChecks.AssertTapTargetsAsync, PageChecks.AssertNoAxeViolationsAsync })
        {
            try
            {
                await check(page);
            }
            catch (Xunit.Sdk.TrueException e)
            {
                _failures.Add($"[{screenshot}] {e.Message}");
            }
        }
    }

    public void AssertClean() => Assert.True(_failures.Count == 0, $"{_failures.Count} problem(s) on {Pages} page(s):\n" + string.Join("\n", _failures));
}
