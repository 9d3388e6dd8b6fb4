using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.QuestionBank;
using NQ66Quiz.Web.Features.Practice;
using NQ66Quiz.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(CommandLine.HostArgs(args));

// Platform: options, PostgreSQL (Npgsql + Dapper), Redis, TimeProvider, auth, ProblemDetails, health, OpenAPI.
builder.AddPlatform();

// Features.
builder.Services.AddOrganizers();
builder.Services.AddQuestionBank();
builder.Services.AddStudyAndPractice();
builder.Services.AddContests(builder.Configuration);

var app = builder.Build();

// Command-line verbs (migrate, content check, content import, ...) run on the same services and exit.
if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(app.Services, args, Console.Out, Console.Error);
}

// Errors as ProblemDetails; static files bundled at build time.
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();

// Health and API description.
app.MapPlatformHealth();
app.MapOpenApi();

// Features: each maps its own route group and applies its policy there.
app.MapOrganizers();
app.MapQuestionBank();
app.MapPractice();
app.MapContests();

// Pages (participant site in Vietnamese; organizer console under /to-chuc, protected as the /Organizer folder).
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
