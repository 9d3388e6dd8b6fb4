using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NQ66Quiz.Web.Features.Study;

/// <summary>Where the content folder is (<c>Content:Root</c>, env <c>Content__Root</c>); the study pages are in its <c>study/</c>.</summary>
public sealed class StudyOptions : IValidatableObject
{
    public const string Section = "Content";

    /// <summary>
    /// Default: the first <c>content/</c> folder found walking up from the app's content root, so <c>dotnet run</c>
    /// (content root = the project folder) and the tests both find the repository's <c>content/</c> without settings.
    /// </summary>
    public string? Root { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Root) || !Directory.Exists(Path.Combine(Root, "study")))
        {
            yield return new($"Content:Root: no study pages at '{Path.Combine(Root ?? "(not set)", "study")}'. "
                + "Set Content__Root to the repository's content folder (the one holding study/ and questions/).", [nameof(Root)]);
        }
    }

    public static string? FindContentFolder(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "content");
            if (Directory.Exists(Path.Combine(candidate, "study")))
            {
                return candidate;
            }
        }
        return null;
    }
}

/// <summary>
/// The study pages, read once from disk and kept in memory: 14 short pages, changed only by a deployment, read on
/// every visit. A page that breaks the format fails the first read with a message naming the file.
/// </summary>
public sealed class StudyLibrary
{
    private readonly Lazy<IReadOnlyList<StudyPage>> _pages;

    public StudyLibrary(IOptions<StudyOptions> options)
    {
        var folder = Path.Combine(options.Value.Root!, "study");
        _pages = new(() => Load(folder));
    }

    /// <summary>All pages, in <c>order</c> (viewpoints, tasks, goals, Hanoi plan).</summary>
    public IReadOnlyList<StudyPage> Pages => _pages.Value;

    public StudyPage? Find(string slug) => Pages.FirstOrDefault(p => p.Slug == slug);

    public static IReadOnlyList<StudyPage> Load(string folder) =>
    [
        .. Directory.EnumerateFiles(folder, "*.md")
            .Select(f => StudyPageParser.Parse(Path.GetFileNameWithoutExtension(f), File.ReadAllText(f)))
            .OrderBy(p => p.Order)
            .ThenBy(p => p.Slug, StringComparer.Ordinal),
    ];
}

public static class StudyServices
{
    public static IServiceCollection AddStudy(this IServiceCollection services)
    {
        services.AddOptions<StudyOptions>()
            .BindConfiguration(StudyOptions.Section)
            .PostConfigure<IHostEnvironment>((o, env) => o.Root = string.IsNullOrWhiteSpace(o.Root)
                ? StudyOptions.FindContentFolder(env.ContentRootPath)
                : Path.GetFullPath(o.Root, env.ContentRootPath))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<StudyLibrary>();
        return services;
    }
}
