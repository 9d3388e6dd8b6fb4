namespace NQ66Quiz.Web.Infrastructure;

/// <summary>
/// Loads one kind of content from the content folder into the database (questions, units, ...). Loaders run in
/// <see cref="Order"/> on <c>content import</c> and at start-up of the run command. Each must be idempotent.
/// </summary>
public interface IContentLoader
{
    int Order { get; }

    string Name { get; }

    /// <returns>false when the content has errors and nothing was stored.</returns>
    Task<bool> LoadAsync(string contentRoot, TextWriter log, CancellationToken ct);
}

public static class Content
{
    public static async Task<bool> ImportAllAsync(IServiceProvider services, string contentRoot, TextWriter log, CancellationToken ct)
    {
        if (!Directory.Exists(contentRoot))
        {
            await log.WriteLineAsync($"Content folder not found: {Path.GetFullPath(contentRoot)}");
            return false;
        }
        var ok = true;
        foreach (var loader in services.GetServices<IContentLoader>().OrderBy(l => l.Order))
        {
            await log.WriteLineAsync($"[{loader.Name}]");
            ok &= await loader.LoadAsync(contentRoot, log, ct);
        }
        return ok;
    }
}

/// <summary><c>content import DIR</c>: loads every kind of content, each loader in its own transaction.</summary>
internal sealed class ContentImportVerb(IServiceProvider services, Migrator migrator) : ICommandVerb
{
    public string Name => "content import";
    public string Usage => "content import DIR           import content (questions, units) into the database";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        if (args.Length != 1)
        {
            await output.WriteLineAsync("usage: content import DIR");
            return 2;
        }
        await migrator.MigrateAsync(ct);
        return await Content.ImportAllAsync(services, CommandLine.FromCallersDirectory(args[0]), output, ct) ? 0 : 1;
    }
}
