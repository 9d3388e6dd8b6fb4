using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>Authorization is declared once: the organizer API group, and a convention that protects every page by default.</summary>
public sealed class AuthorizationTests(AppFixture app) : IntegrationTest(app)
{
    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        [.. App.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    private static IEnumerable<string> Policies(Endpoint e) => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "");

    private static bool Anonymous(Endpoint e) => e.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    [Fact]
    public void Every_organizer_api_endpoint_needs_the_organizer_policy_except_sign_in_and_out()
    {
        var organizer = Endpoints().Where(e => e.RoutePattern.RawText!.StartsWith("/api/organizer/", StringComparison.Ordinal)).ToList();

        Assert.True(organizer.Count > 10, $"only {organizer.Count} organizer endpoints found");
        Assert.All(organizer, e => Assert.Contains(Platform.OrganizerPolicy, Policies(e)));
        // Accepting an invitation is how an invitee becomes an organizer, so it is open like sign-in.
        Assert.Equal(["/api/organizer/invitations/accept", "/api/organizer/sign-in", "/api/organizer/sign-out"],
            organizer.Where(Anonymous).Select(e => e.RoutePattern.RawText!).Order(StringComparer.Ordinal));
        // Nothing outside the group calls itself an organizer endpoint.
        Assert.DoesNotContain(Endpoints(), e => Policies(e).Contains(Platform.OrganizerPolicy)
            && e.Metadata.GetMetadata<PageActionDescriptor>() is null && !organizer.Contains(e));
    }

    [Fact]
    public void Every_page_needs_a_signed_in_participant_or_organizer_unless_it_is_marked_public()
    {
        var pages = Endpoints().Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null).ToList();
        var open = pages.Where(Anonymous).Select(e => e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath).Distinct().Order(StringComparer.Ordinal);

        Assert.All(pages.Where(e => !Anonymous(e)), e => Assert.Contains(
            e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath.StartsWith("/Organizer/", StringComparison.Ordinal)
                ? Platform.OrganizerPolicy : Platform.ParticipantPolicy,
            Policies(e)));
        // The public pages, listed: a page joins this list only by saying [AllowAnonymous].
        Assert.Equal(
        [
            "/Account/PasswordReset", "/Account/PasswordResetLink",
            "/Account/Register", "/Account/SignIn", "/Contests/Contest", "/Contests/Index", "/Contests/Leaderboard", "/Contests/RoundResults",
            "/Error", "/Index", "/Live/Index", "/OrganizerInvitation", "/OrganizerSignIn", "/Practice/Index", "/Study/Index", "/Study/Read",
            "/Units/Certificate", "/Units/Contest", "/Units/Widget",
        ], open);
    }

    [Fact]
    public async Task A_participant_page_sends_a_visitor_to_sign_in_and_an_api_answers_401_without_a_redirect()
    {
        using var visitor = App.CreateClient();

        using var page = await visitor.GetAsync("/cuoc-thi/luot-thi/1");
        using var api = await visitor.GetAsync("/api/attempts");
        using var organizerApi = await visitor.GetAsync("/api/organizer/rounds/1");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/dang-nhap?ReturnUrl=%2Fcuoc-thi%2Fluot-thi%2F1", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Null(api.Headers.Location);
        Assert.Equal(HttpStatusCode.Unauthorized, organizerApi.StatusCode);
        Assert.Null(organizerApi.Headers.Location);
    }

    [Fact]
    public async Task A_signed_in_participant_gets_403_from_an_organizer_api_not_a_redirect()
    {
        await App.LoadUnitsAsync();
        var (participant, _) = await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")));

        using var response = await participant.GetAsync("/api/organizer/rounds/1");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
        participant.Dispose();
    }
}
