using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Security;

/// <summary>Issue 14, item 1: every page refuses a form post without the antiforgery token (ASVS 3.5.1).</summary>
public sealed partial class AntiforgeryTests(AppFixture app) : IntegrationTest(app)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    // A value for each route parameter, so the page itself is reached (it may then answer 404 for a missing record).
    private static string PathOf(RoutePattern pattern) => "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternSeparatorPart separator => separator.Content,
        RoutePatternParameterPart p when p.ParameterPolicies.Any(x => x.Content is "long" or "int") => "1",
        RoutePatternParameterPart => "x",
        _ => "",
    }))));

    [Fact]
    public async Task Every_page_refuses_a_post_without_the_antiforgery_token_and_accepts_the_form_with_it()
    {
        await App.LoadUnitsAsync();
        using var organizer = await App.CreateOrganizerClientAsync();
        var (participant, _) = await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")));
        using var _participant = participant;
        var organizerToken = TokenField().Match(await organizer.GetStringAsync("/to-chuc")).Groups[1].Value;
        var participantToken = TokenField().Match(await participant.GetStringAsync("/tai-khoan")).Groups[1].Value;
        Assert.NotEmpty(organizerToken);
        Assert.NotEmpty(participantToken);
        var pages = App.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => (Page: e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath, Path: PathOf(e.RoutePattern)))
            .DistinctBy(p => p.Page)
            // The error page answers re-executed POSTs (a refused form lands there), so it takes none itself.
            .Where(p => p.Page != "/Error")
            // Signing out with the token ends the session: last, so the other organizer pages are posted signed in.
            .OrderBy(p => p.Page == "/Organizer/SignOut").ToList();

        var failures = new List<string>();
        foreach (var (page, path) in pages)
        {
            var isOrganizer = path.StartsWith("/to-chuc", StringComparison.Ordinal);
            var client = isOrganizer ? organizer : participant;
            using var without = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }));
            using var with = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["x"] = "1", ["__RequestVerificationToken"] = isOrganizer ? organizerToken : participantToken,
            }));
            var body = await without.Content.ReadAsStringAsync();
            if (without.StatusCode != HttpStatusCode.BadRequest || !body.Contains("Yêu cầu không hợp lệ", StringComparison.Ordinal))
            {
                failures.Add($"{page} ({path}) without token: {(int)without.StatusCode}");
            }
            if (with.StatusCode == HttpStatusCode.BadRequest)
            {
                failures.Add($"{page} ({path}) with token: 400");
            }
        }

        Assert.True(pages.Count > 30, $"only {pages.Count} pages found");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
