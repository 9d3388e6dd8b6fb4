using Xunit.Abstractions;

namespace NQ66Quiz.Tests.ContentReview;

/// <summary>
/// The recorded self-review of the question bank (issue 4, item 2): every rule runs over the repository's
/// <c>content/questions/*.md</c> on every test run, and a failure lists exactly which questions miss what.
/// </summary>
public sealed class BankReviewTests(ITestOutputHelper output)
{
    private static readonly Lazy<string> ContentFolder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "content", "questions")))
            {
                return Path.Combine(dir.FullName, "content");
            }
        }
        throw new DirectoryNotFoundException($"No content/questions above {AppContext.BaseDirectory}");
    });

    private static readonly Lazy<IReadOnlyList<BankQuestion>> Bank = new(() => BankReader.ReadFolder(Path.Combine(ContentFolder.Value, "questions")));

    private static void NoProblems(IEnumerable<string> problems, string what)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, $"{list.Count} {what}:\n  " + string.Join("\n  ", list));
    }

    [Fact]
    public void The_bank_meets_the_coverage_targets()
    {
        var coverage = BankReview.Distribution(Bank.Value);
        var table = BankReview.Table(coverage);
        // The test output goes to the TRX; the console line is what .ci/test shows even when the test passes.
        output.WriteLine(table);
        Console.WriteLine($"Question bank coverage ({Bank.Value.Count} questions in content/questions):\n{table}");

        var missing = coverage.Where(c => !c.Met).Select(c => $"{c.Name}: {c.Count}, target {c.Target}").ToList();
        Assert.True(missing.Count == 0, $"coverage targets not met ({string.Join("; ", missing)}):\n{table}");
    }

    [Fact]
    public void Every_question_is_well_formed() =>
        NoProblems(BankReview.Structure(Bank.Value), "malformed questions");

    [Fact]
    public void Every_question_has_a_source() =>
        NoProblems(BankReview.Sources(Bank.Value), "questions without a usable source");

    [Fact]
    public void Every_explanation_contains_the_text_of_each_correct_option() =>
        NoProblems(BankReview.Explanations(Bank.Value), "explanations that do not name their key");

    [Fact]
    public void No_two_stems_are_the_same_or_nearly_the_same() =>
        NoProblems(BankReview.DuplicateStems(Bank.Value), "pairs of (near-)duplicate stems");

    [Fact]
    public void No_option_says_all_or_none_of_the_above() =>
        NoProblems(BankReview.AllOrNoneOptions(Bank.Value), "options that refer to other options");

    [Fact]
    public void At_most_four_questions_drill_the_order_of_the_tasks()
    {
        var drills = BankReview.TaskOrderDrills(Bank.Value);
        Assert.True(drills.Count <= BankReview.MaximumTaskOrderDrills,
            $"{drills.Count} questions drill the order of the 07 tasks (at most {BankReview.MaximumTaskOrderDrills}):\n  " + string.Join("\n  ", drills));
    }

    [Fact]
    public void Every_question_is_in_the_review_log()
    {
        var log = BankReview.ReadReviewLog(Directory.EnumerateFiles(Path.Combine(ContentFolder.Value, "review"), "*.md").Select(File.ReadAllText));

        NoProblems(BankReview.ReviewLog(Bank.Value, log), "questions missing from the review log");
    }
}
