using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.Tests.QuestionBank;

/// <summary>The shipped content/ passes the validator: a broken question can never land.</summary>
public sealed class ContentLintTests
{
    [Fact]
    public void The_question_bank_in_content_has_no_errors()
    {
        var root = RepositoryRoot();
        var result = BankCheck.CheckFolder(Path.Combine(root, "content"), "content");

        Assert.True(result.Questions.Count > 0, "content/questions holds no question: is the folder missing?");
        Assert.True(result.Ok,
            $"`content check content` found {result.Errors.Count} error(s) in the question bank; fix each (file:line:column):\n"
            + string.Join('\n', result.Errors));
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NQ66Quiz.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"NQ66Quiz.sln not found above {AppContext.BaseDirectory}");
    }
}
