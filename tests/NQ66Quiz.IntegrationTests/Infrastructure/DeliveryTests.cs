using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using NQ66Quiz.IntegrationTests.Attempts;
using NQ66Quiz.IntegrationTests.Contests;
using NQ66Quiz.Web.Infrastructure;
using Xunit.Abstractions;

namespace NQ66Quiz.IntegrationTests.Infrastructure;

/// <summary>
/// Delivery (issue 9, item 8): pages come Brotli- or gzip-compressed (sizes printed), versioned static files are cached
/// for a year as immutable and unversioned ones are revalidated, and a second build does not run npm.
/// </summary>
public sealed partial class DeliveryTests(AppFixture app, ITestOutputHelper output) : ContestTest(app)
{
    [GeneratedRegex("href=\"(/css/site\\.css\\?v=[^\"]+)\"")]
    private static partial Regex StyleSheet();

    private static async Task<(byte[] Body, string? Encoding, HttpResponseMessage Response)> GetAsync(HttpClient client, string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        }
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentEncoding.SingleOrDefault(), response);
    }

    private static string Decode(byte[] body, string? encoding)
    {
        using var input = new MemoryStream(body);
        using Stream stream = encoding switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => input,
        };
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Raw, Brotli and gzip sizes of one page; each compressed body decodes to the page.</summary>
    private async Task MeasureAsync(HttpClient client, string name, string path, string mustContain, double atMost)
    {
        var (raw, rawEncoding, _) = await GetAsync(client, path, null);
        var (br, brEncoding, brResponse) = await GetAsync(client, path, "br, gzip");
        var (gz, gzEncoding, _) = await GetAsync(client, path, "gzip");

        Assert.Null(rawEncoding);
        Assert.Equal("br", brEncoding);
        Assert.Equal("gzip", gzEncoding);
        Assert.Contains("Accept-Encoding", brResponse.Headers.Vary);
        Assert.Contains(mustContain, Decode(br, "br"), StringComparison.Ordinal);
        Assert.Contains(mustContain, Decode(gz, "gzip"), StringComparison.Ordinal);
        // Antiforgery tokens differ per response, so the decoded lengths match the raw one closely, not exactly.
        Assert.InRange(Decode(br, "br").Length, Decode(raw, null).Length - 200, Decode(raw, null).Length + 200);
        Assert.True(br.Length <= atMost * raw.Length, $"{name}: br {br.Length} B is over {atMost:P0} of {raw.Length} B");
        Assert.True(gz.Length <= atMost * raw.Length, $"{name}: gzip {gz.Length} B is over {atMost:P0} of {raw.Length} B");
        var line = $"[delivery] {name} {path}: raw {raw.Length} B, br {br.Length} B ({100.0 * br.Length / raw.Length:0.0} %), "
            + $"gzip {gz.Length} B ({100.0 * gz.Length / raw.Length:0.0} %)";
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    [Fact]
    public async Task The_home_page_and_an_attempt_page_come_compressed_with_brotli_or_gzip()
    {
        var (_, _, round) = await App.OpenRoundAsync(questions: 20, round: App.Round(questions: 20));
        var (participant, _) = await App.RegisterAsync(TestData.Registration("0912345678", await App.UnitIdAsync("Phường Hoàn Kiếm")));
        var paper = await participant.StartAsync(round.Id);

        // The test home page is small (no content/ loaded), so its ratio is worse than the real one's.
        await MeasureAsync(participant, "home", "/", "<h1", atMost: 0.6);
        await MeasureAsync(participant, "attempt (20 questions)", $"/cuoc-thi/luot-thi/{paper.Id}", "contest-attempt.js", atMost: 0.35);
    }

    [Fact]
    public async Task A_versioned_static_file_is_immutable_for_a_year_and_an_unversioned_or_stale_one_is_revalidated()
    {
        using var client = App.CreateClient();
        var home = await client.GetStringAsync("/");
        var versioned = StyleSheet().Match(home).Groups[1].Value;
        Assert.NotEmpty(versioned);
        var live = await client.GetStringAsync("/truc-tiep");
        var signalr = Regex.Match(live, "src=\"(/lib/signalr\\.min\\.js\\?v=[^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(signalr);

        var (css, cssEncoding, cssResponse) = await GetAsync(client, versioned, "br, gzip");
        var (_, _, libResponse) = await GetAsync(client, signalr, "br");
        var (_, _, plain) = await GetAsync(client, "/css/site.css", null);
        var (_, _, stale) = await GetAsync(client, "/css/site.css?v=an-old-version", null);

        Assert.Equal(Delivery.Immutable, cssResponse.Headers.CacheControl!.ToString());
        Assert.Equal("public, max-age=31536000, immutable", Delivery.Immutable);
        Assert.Equal(Delivery.Immutable, libResponse.Headers.CacheControl!.ToString());
        Assert.Equal("br", cssEncoding);
        Assert.Contains("--red", Decode(css, "br"), StringComparison.Ordinal);
        Assert.Equal("no-cache", plain.Headers.CacheControl!.ToString());
        Assert.Equal("no-cache", stale.Headers.CacheControl!.ToString());
        // Revalidation is cheap: the ETag answers 304 without the body.
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/css/site.css");
        revalidate.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
        using var notModified = await client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    /// <summary>
    /// The csproj's NpmInstall target names package.json and package-lock.json as inputs and npm's own
    /// node_modules/.package-lock.json as output: after the build that ran these tests, MSBuild skips it.
    /// </summary>
    [Fact]
    public async Task A_second_build_skips_npm_ci_because_the_lock_file_did_not_change()
    {
        var project = Path.Combine(TestData.RepositoryRoot(), "src", "NQ66Quiz.Web", "NQ66Quiz.Web.csproj");
        var marker = Path.Combine(TestData.RepositoryRoot(), "src", "NQ66Quiz.Web", "node_modules", ".package-lock.json");
        Assert.True(File.Exists(marker), "the build did not run npm ci (no node_modules/.package-lock.json)");
        foreach (var input in new[] { "package.json", "package-lock.json" })
        {
            var path = Path.Combine(TestData.RepositoryRoot(), "src", "NQ66Quiz.Web", input);
            Assert.True(File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(path), $"{input} is newer than npm's record of the last install");
        }

        var start = new ProcessStartInfo("dotnet", ["msbuild", project, "-t:NpmInstall", "-p:Configuration=Release", "-v:n", "-nologo"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("Skipping target \"NpmInstall\" because all output files are up-to-date with respect to the input files.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("npm ci", text, StringComparison.Ordinal);
    }
}
