using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using NQ66Quiz.Web.Common;
using NQ66Quiz.Web.Features.Contests;
using NQ66Quiz.Web.Rules;

namespace NQ66Quiz.Benchmarks;

/// <summary>
/// The pure functions on the hot scoring path, measured alone: `dotnet run -c Release --project load-tests/NQ66Quiz.Benchmarks -- --filter '*'`
/// (add `--job short` for a quick look). Results land in BenchmarkDotNet.Artifacts/ beside where it runs.
/// </summary>
public static class BenchmarksProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarksProgram).Assembly).Run(args);
}

/// <summary>Points of an answer: correctness of the chosen options, and screen positions to option ids (every save does this).</summary>
[MemoryDiagnoser]
public class PointsBenchmarks
{
    private readonly StoredOption[] _options = [new(0, "A", "A", true), new(1, "B", "B", false), new(2, "C", "C", false), new(3, "D", "D", false)];
    private readonly StoredOption[] _multiple = [new(0, "A", "A", true), new(1, "B", "B", true), new(2, "C", "C", false), new(3, "D", "D", true)];
    private readonly short[] _order = [2, 0, 3, 1];
    private readonly short[] _right = [0];
    private readonly short[] _rightMultiple = [0, 1, 3];
    private readonly int[] _choices = [1];

    [Benchmark(Baseline = true)]
    public bool SingleCorrect() => Scoring.IsCorrect(_right, _options);

    [Benchmark]
    public bool MultipleCorrect() => Scoring.IsCorrect(_rightMultiple, _multiple);

    [Benchmark]
    public short[]? ScreenToOptionIds() => Scoring.ToOptionIds(_choices, _order, "single", 1).OptionIds;

    [Benchmark]
    public int CompareAttempts() => Ranking.CompareAttempts(
        new AttemptOutcome(1, 18, 123_456, new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero)),
        new AttemptOutcome(2, 18, 123_457, new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero)));
}

/// <summary>The live board's sorted-set score: every tie-break packed into one double, and back.</summary>
[MemoryDiagnoser]
public class LeaderboardEncodingBenchmarks
{
    private readonly double _encoded = LeaderboardScore.Live(17, 234_567, 86_400);

    [Benchmark(Baseline = true)]
    public double Encode() => LeaderboardScore.Live(17, 234_567, 86_400);

    [Benchmark]
    public int Decode() => LeaderboardScore.Decode(_encoded).Score;

    [Benchmark]
    public string Member() => LeaderboardScore.Member(1_234_567);

    [Benchmark]
    public long ParseMember() => LeaderboardScore.ParticipantOf("000001234567");
}

/// <summary>Drawing a paper from the bank (every attempt start): 20 questions by a four-line blueprint from a bank of N.</summary>
[MemoryDiagnoser]
public class BlueprintDrawBenchmarks
{
    private IReadOnlyList<BankQuestion> _bank = [];
    private readonly Random _random = new(66);
    private readonly BlueprintLine[] _lines = [new(8), new(4, Viewpoint: 1), new(4, Task: 2), new(4, Difficulty: "hard")];

    [Params(500, 5_000)]
    public int BankSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] difficulties = ["easy", "medium", "hard"];
        _bank = [.. Enumerable.Range(1, BankSize).Select(i => new BankQuestion(i, $"q{i:00000}", difficulties[i % 3],
            [(short)(1 + i % 6)], [(short)(1 + i % 7)], i % 5 == 0 ? ["chung"] : []))];
    }

    [Benchmark]
    public int Draw() => Blueprint.Draw(_lines, _bank, _random)?.Count ?? 0;
}
