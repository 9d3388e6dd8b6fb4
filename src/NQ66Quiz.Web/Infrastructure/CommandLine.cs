namespace NQ66Quiz.Web.Infrastructure;

/// <summary>A command-line verb of the app: <c>dotnet run --project src/NQ66Quiz.Web -- content check content</c>.</summary>
public interface ICommandVerb
{
    /// <summary>The words that select the verb, e.g. "migrate" or "content check".</summary>
    string Name { get; }

    /// <summary>One line for the usage text, e.g. "content check DIR [--json]   validate a question bank".</summary>
    string Usage { get; }

    /// <param name="args">The arguments after the verb's words.</param>
    /// <returns>The process exit code: 0 ok, 1 failed, 2 usage.</returns>
    Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct);
}

public static class CommandLine
{
    /// <summary>A verb is a first argument that is not an option; everything else starts the web server.</summary>
    public static bool IsVerb(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    /// <summary>The arguments the host may see: none for a verb (its words are not configuration).</summary>
    public static string[] HostArgs(string[] args) => IsVerb(args) ? [] : args;

    public static IServiceCollection AddVerb<T>(this IServiceCollection services) where T : class, ICommandVerb
        => services.AddSingleton<ICommandVerb, T>();

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var verbs = services.GetServices<ICommandVerb>().ToList();
        // The longest matching name wins, so "content check" is not taken for a verb "content".
        var verb = verbs
            .Where(v => Matches(v.Name.Split(' '), args))
            .MaxBy(v => v.Name.Split(' ').Length);
        if (verb is null)
        {
            await error.WriteLineAsync($"Unknown command: {string.Join(' ', args)}");
            await error.WriteLineAsync(Usage(verbs));
            return 2;
        }
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            return await verb.RunAsync(args[verb.Name.Split(' ').Length..], output, cts.Token);
        }
        catch (MigrationException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    /// <summary>
    /// <c>dotnet run</c> of a Web SDK project starts the app in the project's folder, so "content" typed at the
    /// repository root would resolve to src/NQ66Quiz.Web/content. The shell's PWD says where the command was typed.
    /// </summary>
    public static string FromCallersDirectory(string dir)
    {
        if (Path.IsPathRooted(dir) || Environment.GetEnvironmentVariable("PWD") is not { Length: > 0 } pwd)
        {
            return dir;
        }
        var fromCaller = Path.Combine(pwd, dir);
        return Directory.Exists(fromCaller) ? fromCaller : dir;
    }

    public static string Usage(IEnumerable<ICommandVerb> verbs) =>
        "Usage: dotnet run --project src/NQ66Quiz.Web -- <command>\n"
        + "       (no command: serve the web app)\nCommands:\n"
        + string.Join('\n', verbs.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => "  " + v.Usage));

    private static bool Matches(string[] words, string[] args) =>
        args.Length >= words.Length && words.Select((w, i) => w == args[i]).All(x => x);
}

/// <summary><c>migrate</c>: applies pending SQL migrations and exits.</summary>
internal sealed class MigrateVerb(Migrator migrator) : ICommandVerb
{
    public string Name => "migrate";
    public string Usage => "migrate                      apply pending database migrations";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        if (args.Length > 0)
        {
            await output.WriteLineAsync("migrate takes no arguments");
            return 2;
        }
        var applied = await migrator.MigrateAsync(ct);
        await output.WriteLineAsync(applied.Count == 0
            ? "Database schema is up to date; nothing to apply."
            : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
        return 0;
    }
}
