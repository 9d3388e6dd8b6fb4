using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Features.AntiCheat;
using NQ66Quiz.Web.Features.Attempts;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Leaderboards;
using NQ66Quiz.Web.Features.LiveRounds;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.Portal;
using NQ66Quiz.Web.Features.Practice;
using NQ66Quiz.Web.Features.Privacy;
using NQ66Quiz.Web.Features.QuestionBank;
using NQ66Quiz.Web.Features.Study;
using NQ66Quiz.Web.Features.UnitRankings;
using NQ66Quiz.Web.Features.Units;
using NQ66Quiz.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(CommandLine.HostArgs(args));

// Platform: options, PostgreSQL (Npgsql + Dapper), Redis, TimeProvider, auth, ProblemDetails, health, OpenAPI.
builder.AddPlatform();

// Meters for operators: Prometheus scrape at /metrics (loopback only), OTLP where configured.
builder.AddTelemetry();

// Rate limits on registration, sign-in, attempt start and answers (429 with Retry-After); hubs have LiveHubFilter.
builder.Services.AddRateLimits();

// Delivery: Brotli/gzip responses, year-long immutable caching of versioned static files (Infrastructure/Delivery.cs).
builder.Services.AddDelivery();

// Features, one line each (Features/<Feature>/).
builder.Services.AddOrganizers();                        // ban tổ chức: accounts, roles, unit scope, audit log
builder.Services.AddUnits();                             // đơn vị: directory and search
builder.Services.AddParticipants();                      // người dự thi: register, sign in, profile
builder.Services.AddPasswordResets();                    // quên mật khẩu: organizer codes, mailed links, password change
builder.Services.AddPrivacy();                           // dữ liệu cá nhân: consents, encrypted CCCD, download, erasure, retention purge
builder.Services.AddQuestionBank();                      // ngân hàng câu hỏi: import, edit, export
builder.Services.AddStudy();                             // bài đọc tìm hiểu (/hoc)
builder.Services.AddPractice();                          // luyện tập
builder.Services.AddContests(builder.Configuration);     // cuộc thi, tuần thi: setup, closing, results
builder.Services.AddAttempts();                          // lượt thi
builder.Services.AddLeaderboards();                      // bảng xếp hạng (Redis)
builder.Services.AddUnitRankings(builder.Configuration); // xếp hạng đơn vị: figures, collective prizes, reports, certificates
builder.Services.AddLiveRounds(builder.Configuration);   // vòng thi trực tiếp: SignalR hubs, PIN/QR, group-committed answers
builder.Services.AddPortal(builder.Configuration);       // official framing: organizing body, contact, emblem, home page's open round
builder.Services.AddAntiCheat();                         // gian lận cần xem lại: where attempts start from, flags for review

var app = builder.Build();

// Command-line verbs (migrate, content check, content import, ...) run on the same services and exit.
if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(app.Services, args, Console.Out, Console.Error);
}

// The metrics scrape answers before anything else.
app.UseTelemetry();
// Compression wraps everything after it: pages, APIs, error pages and static files.
app.UseResponseCompression();
// Errors in Vietnamese (the /loi page for browsers, ProblemDetails for /api) and request body limits; static files.
app.UseErrorResponses();
app.UseStaticFiles();
app.UseAuthentication();
// A city admin who has not enrolled a second factor yet reaches only the enrolment (Features/Organizers).
app.UseSecondFactorSetup();
app.UseAuthorization();
// After authentication: attempts and answers are counted per signed-in participant.
app.UseRateLimiter();

// Health and API description.
app.MapPlatformHealth();
app.MapOpenApi();

// Features. Organizer APIs go into one group, /api/organizer, behind the organizer policy.
var organizerApi = app.MapOrganizerApi();
app.MapOrganizers(organizerApi);
app.MapUnits(organizerApi);
app.MapParticipants();
app.MapPasswordResets(organizerApi);
app.MapPrivacy();
app.MapQuestionBank(organizerApi);
app.MapPractice();
app.MapContests(organizerApi);
app.MapAttempts();
app.MapLeaderboards(organizerApi);
app.MapUnitRankings(organizerApi);
// Live rounds: SignalR hubs under /hubs (Origin allow-list in front of them) and their organizer API in the group.
app.MapLiveRounds(organizerApi);
// The organizing body's emblem (a file the deployment configures).
app.MapPortal();
// Anti-cheat flags of a round, for organizers before they publish.
app.MapAntiCheat(organizerApi);

// Pages: the organizer console (/to-chuc) needs the organizer policy; every other page needs a signed-in participant
// unless it is marked [AllowAnonymous] (Platform.AddPlatform). Study has pages only.
app.MapRazorPages();

// Schema migrations, then content/ when the run command asked for it; start-up validates every option.
try
{
    await app.PrepareAsync();
    await app.StartAsync();
}
catch (Exception e) when (e is MigrationException or OptionsValidationException)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
await app.WaitForShutdownAsync();
return 0;

public partial class Program;
