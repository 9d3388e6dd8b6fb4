using Microsoft.Extensions.Options;
using NQ66Quiz.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(CommandLine.HostArgs(args));

// Platform: options, PostgreSQL (Npgsql + Dapper), Redis, TimeProvider, auth, ProblemDetails, health, OpenAPI.
builder.AddPlatform();

var app = builder.Build();

// Command-line verbs (migrate, content check, content import, ...) run on the same services and exit.
if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(app.Services, args, Console.Out, Console.Error);
}

// Schema migrations, then content/ when the run command asked for it.
try
{
    await app.PrepareAsync();
}
catch (Exception e) when (e is MigrationException or OptionsValidationException)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
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

// Pages (participant site in Vietnamese; organizer console under /Organizer).
app.MapRazorPages();

await app.RunAsync();
return 0;

public partial class Program;
