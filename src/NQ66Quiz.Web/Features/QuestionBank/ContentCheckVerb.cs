using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary><c>content check DIR [--json]</c>: every problem of a bank at once; exit 0 clean, 1 errors, 2 usage.</summary>
internal sealed class ContentCheckVerb : ICommandVerb
{
    public string Name => "content check";
    public string Usage => "content check DIR [--json]   validate a question bank (exit 0 clean, 1 errors, 2 usage)";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var json = args.Contains("--json", StringComparer.Ordinal);
        var rest = args.Where(a => a != "--json").ToList();
        if (rest.Count != 1 || rest[0].StartsWith('-'))
        {
            await output.WriteLineAsync("usage: content check DIR [--json]");
            return 2;
        }
        var dir = rest[0];
        var path = CommandLine.FromCallersDirectory(dir);
        if (!Directory.Exists(path))
        {
            await output.WriteLineAsync($"Không thấy thư mục {Path.GetFullPath(path)}. usage: content check DIR [--json]");
            return 2;
        }
        var result = BankCheck.CheckFolder(path, dir);
        await output.WriteAsync(json ? BankCheck.ToJson(result) + "\n" : BankCheck.ToText(result));
        return result.Ok ? 0 : 1;
    }
}
