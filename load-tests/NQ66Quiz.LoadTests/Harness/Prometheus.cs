using System.Globalization;

namespace NQ66Quiz.LoadTests.Harness;

/// <summary>
/// Reads the app's Prometheus scrape endpoint before and after a scenario, so the report puts the server's own figures
/// (answers/s, group-commit batch sizes, submits/s, ...) beside the generator's. Only the app's <c>nq66_*</c> series
/// and a few runtime ones are kept.
/// </summary>
public sealed class Prometheus(HttpClient client, IReadOnlyList<Uri> endpoints)
{
    public sealed record Sample(Dictionary<string, double> Values, DateTimeOffset At);

    public async Task<Sample?> ScrapeAsync(CancellationToken ct)
    {
        if (endpoints.Count == 0)
        {
            return null;
        }
        var texts = new List<string>();
        foreach (var endpoint in endpoints)
        {
            try
            {
                texts.Add(await client.GetStringAsync(endpoint, ct));
            }
            catch (HttpRequestException)
            {
                // A node that does not answer its scrape is left out of the sum; the others still count.
            }
        }
        return Parse(texts, DateTimeOffset.UtcNow);
    }

    /// <summary>The kept series of one scrape of every node (the same series of several nodes adds up).</summary>
    public static Sample Parse(IEnumerable<string> texts, DateTimeOffset at)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }
                var space = line.LastIndexOf(' ');
                if (space < 0)
                {
                    continue;
                }
                var name = line[..space];
                // Drop the timestamp some exporters append.
                var parts = line[(space + 1)..].Trim();
                var sp = name.LastIndexOf(' ');
                if (sp > 0 && name.Contains('}', StringComparison.Ordinal) && sp > name.LastIndexOf('}'))
                {
                    parts = name[(sp + 1)..];
                    name = name[..sp];
                }
                if (!Keep(name) || !double.TryParse(parts, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    continue;
                }
                // Several nodes: the same series adds up.
                values[name] = values.GetValueOrDefault(name) + v;
            }
        }
        return new Sample(values, at);
    }

    private static bool Keep(string name) =>
        name.StartsWith("nq66_", StringComparison.Ordinal)
        // ASP.NET Core's request duration, reported per route: the server's own share of a step's latency.
        || name.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal)
        || name.StartsWith("process_runtime_dotnet_gc_collections_count", StringComparison.Ordinal)
        || name.StartsWith("dotnet_gc_collections_total", StringComparison.Ordinal)
        || name.StartsWith("db_client_connections_usage", StringComparison.Ordinal);

    /// <summary>Counters as change per second over the run, gauges as their last value, histograms as count, mean and p99.</summary>
    public static Dictionary<string, double> Summarise(Sample? before, Sample? after)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (before is null || after is null)
        {
            return result;
        }
        var seconds = Math.Max(0.001, (after.At - before.At).TotalSeconds);
        double Delta(string k) => after.Values.GetValueOrDefault(k) - before.Values.GetValueOrDefault(k);
        var histograms = after.Values.Keys.Where(k => k.Contains("_bucket", StringComparison.Ordinal))
            .Select(k => k[..k.IndexOf("_bucket", StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).ToList();
        foreach (var h in histograms)
        {
            // One histogram per route, or per phase, where a series names one (a route's own tail is what a step is
            // compared with; a live close's phases say where its time goes); otherwise summed over its label sets.
            foreach (var series in after.Values.Keys.Where(k => k.StartsWith(h + "_count", StringComparison.Ordinal)).GroupBy(Series, StringComparer.Ordinal))
            {
                bool Mine(string key) => Series(key) == series.Key;
                double Change(string suffix) =>
                    after.Values.Where(kv => kv.Key.StartsWith(h + suffix, StringComparison.Ordinal) && Mine(kv.Key)).Sum(kv => kv.Value)
                    - before.Values.Where(kv => kv.Key.StartsWith(h + suffix, StringComparison.Ordinal) && Mine(kv.Key)).Sum(kv => kv.Value);
                var count = Change("_count");
                if (count <= 0)
                {
                    continue;
                }
                var name = series.Key.Length == 0 ? h : $"{h}{{{series.Key}}}";
                // Durations in seconds read as milliseconds, like the generator's figures beside them.
                var (scale, unit) = h.EndsWith("_seconds", StringComparison.Ordinal) ? (1000.0, " (ms)") : (1.0, "");
                result[name + " count"] = count;
                result[name + " mean" + unit] = scale * Change("_sum") / count;
                // Bucket deltas by upper bound (summed over label sets): the p99 is the first bound holding 99 % of the count.
                var buckets = after.Values.Where(kv => kv.Key.StartsWith(h + "_bucket", StringComparison.Ordinal) && Mine(kv.Key))
                    .Select(kv => (Le: Le(kv.Key), Count: kv.Value - before.Values.GetValueOrDefault(kv.Key)))
                    .GroupBy(b => b.Le).Select(g => (Le: g.Key, Count: g.Sum(x => x.Count))).OrderBy(b => b.Le).ToList();
                var p99 = buckets.FirstOrDefault(b => b.Count >= 0.99 * count);
                if (p99.Le is > 0 and < double.PositiveInfinity)
                {
                    result[name + " p99 (bucket bound" + (unit.Length > 0 ? ", ms)" : ")")] = scale * p99.Le;
                }
            }
        }
        foreach (var (k, v) in after.Values)
        {
            if (k.Contains("_bucket", StringComparison.Ordinal) || histograms.Any(h => k.StartsWith(h + "_", StringComparison.Ordinal)))
            {
                continue;
            }
            var total = k.Contains("_total", StringComparison.Ordinal);
            result[total ? k + " per s" : k] = total ? Delta(k) / seconds : v;
        }
        return result;
    }

    private static double Le(string key) =>
        Label(key, "le") is not { } s || s == "+Inf" ? double.PositiveInfinity : double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>A series' route ("" where it names none): one histogram of the report per route.</summary>
    /// <summary>The label a histogram is split by, as <c>name="value"</c>: the route, else the phase, else none.</summary>
    private static string Series(string key) =>
        Label(key, "http_route") is { } route ? $"http_route=\"{route}\""
        : Label(key, "phase") is { } phase ? $"phase=\"{phase}\""
        : "";

    private static string? Label(string key, string label)
    {
        var i = key.IndexOf(label + "=\"", StringComparison.Ordinal);
        // A label name ends another one too ("le" in "handle"): only a match right after '{' or ',' counts.
        while (i > 0 && key[i - 1] is not ('{' or ','))
        {
            i = key.IndexOf(label + "=\"", i + 1, StringComparison.Ordinal);
        }
        if (i < 0)
        {
            return null;
        }
        var start = i + label.Length + 2;
        return key[start..key.IndexOf('"', start)];
    }
}
