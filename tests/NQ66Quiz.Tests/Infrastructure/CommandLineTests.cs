using Microsoft.Extensions.DependencyInjection;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Tests.Infrastructure;

public sealed class CommandLineTests
{
    private sealed class RecordingVerb(string name) : ICommandVerb
    {
        public string Name => name;
        public string Usage => name + "   test verb";
        public string[]? Received { get; private set; }

        public Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
        {
            Received = args;
            return Task.FromResult(0);
        }
    }

    [Fact]
    public async Task Unknown_verb_prints_usage_and_exits_2()
    {
        var verb = new RecordingVerb("migrate");
        using var services = new ServiceCollection().AddSingleton<ICommandVerb>(verb).BuildServiceProvider();
        var error = new StringWriter();

        var code = await CommandLine.RunAsync(services, ["frobnicate"], TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.Contains("Unknown command: frobnicate", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("migrate   test verb", error.ToString(), StringComparison.Ordinal);
        Assert.Null(verb.Received);
    }

    [Fact]
    public async Task The_longest_matching_verb_gets_the_remaining_arguments()
    {
        var content = new RecordingVerb("content");
        var check = new RecordingVerb("content check");
        using var services = new ServiceCollection().AddSingleton<ICommandVerb>(content).AddSingleton<ICommandVerb>(check).BuildServiceProvider();

        var code = await CommandLine.RunAsync(services, ["content", "check", "dir", "--json"], TextWriter.Null, TextWriter.Null);

        Assert.Equal(0, code);
        Assert.Equal(["dir", "--json"], check.Received!);
        Assert.Null(content.Received);
    }

    [Theory]
    [InlineData(new[] { "migrate" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1" }, false)]
    [InlineData(new string[0], false)]
    public void Verbs_are_first_arguments_that_are_not_options(string[] args, bool isVerb)
    {
        Assert.Equal(isVerb, CommandLine.IsVerb(args));
        Assert.Equal(isVerb ? [] : args, CommandLine.HostArgs(args));
    }
}
