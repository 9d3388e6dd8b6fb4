using NQ66Quiz.LoadTests.Harness;

namespace NQ66Quiz.IntegrationTests.LoadTests;

/// <summary>
/// What the load report makes of two scrapes of the app's <c>/metrics</c>: the request duration per route (in ms, from
/// the change of its buckets between the scrapes), any other histogram over all its label sets, several nodes added up.
/// The text is the exporter's own format (labels in braces, some lines with a timestamp). Tested on text rather than
/// through the test app's scrape: in a test process many hosts come and go, and disposing one host's
/// <c>Microsoft.AspNetCore.Hosting</c> meter stops OpenTelemetry exporting the same-named meter of every other host
/// (open-telemetry/opentelemetry-dotnet#6412); an app node has one host, and the committed reports show the figures.
/// </summary>
public sealed class PrometheusSummaryTests
{
    private const string Board = "/api/rounds/{roundId:long}/leaderboard";
    private const string Save = "/api/attempts/{attemptId:long}/answers/{position:int}";

    private static string Duration(string route, int status, double sumSeconds, params (string Le, int Count)[] buckets) =>
        string.Join('\n', buckets.Select(b =>
                $"http_server_request_duration_seconds_bucket{{otel_scope_name=\"Microsoft.AspNetCore.Hosting\",http_request_method=\"GET\",http_response_status_code=\"{status}\",http_route=\"{route}\",network_protocol_version=\"1.1\",url_scheme=\"http\",le=\"{b.Le}\"}} {b.Count} 1764720000000")
            .Append($"http_server_request_duration_seconds_sum{{otel_scope_name=\"Microsoft.AspNetCore.Hosting\",http_request_method=\"GET\",http_response_status_code=\"{status}\",http_route=\"{route}\",network_protocol_version=\"1.1\",url_scheme=\"http\"}} {sumSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} 1764720000000")
            .Append($"http_server_request_duration_seconds_count{{otel_scope_name=\"Microsoft.AspNetCore.Hosting\",http_request_method=\"GET\",http_response_status_code=\"{status}\",http_route=\"{route}\",network_protocol_version=\"1.1\",url_scheme=\"http\"}} {buckets[^1].Count} 1764720000000"));

    private static string Ack(string kind, double sumMs, params (string Le, int Count)[] buckets) =>
        string.Join('\n', buckets.Select(b => $"nq66_answers_ack_duration_milliseconds_bucket{{otel_scope_name=\"NQ66Quiz\",kind=\"{kind}\",le=\"{b.Le}\"}} {b.Count}")
            .Append($"nq66_answers_ack_duration_milliseconds_sum{{otel_scope_name=\"NQ66Quiz\",kind=\"{kind}\"}} {sumMs.ToString(System.Globalization.CultureInfo.InvariantCulture)}")
            .Append($"nq66_answers_ack_duration_milliseconds_count{{otel_scope_name=\"NQ66Quiz\",kind=\"{kind}\"}} {buckets[^1].Count}"));

    [Fact]
    public void Request_duration_is_reported_per_route_in_milliseconds_over_the_window_between_the_scrapes()
    {
        var t0 = DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        // Before the window: 10 board reads (all under 1 ms) and 5 saves already counted.
        var before = Prometheus.Parse([
            "# TYPE http_server_request_duration_seconds histogram\n"
            + Duration(Board, 200, 0.005, ("0.001", 10), ("0.005", 10), ("0.01", 10), ("+Inf", 10)) + "\n"
            + Duration(Save, 200, 0.010, ("0.001", 0), ("0.005", 5), ("0.01", 5), ("+Inf", 5))], t0);
        // After: the board got 100 more on node 1 (98 under 1 ms, 2 between 5 and 10 ms) and 100 more on node 2 (all
        // under 5 ms), one of them a 404; the saves got 200 more, one slower than 10 ms.
        var after = Prometheus.Parse([
            Duration(Board, 200, 0.005 + 0.090, ("0.001", 108), ("0.005", 108), ("0.01", 110), ("+Inf", 110)) + "\n"
            + Duration(Save, 200, 0.010 + 0.600, ("0.001", 0), ("0.005", 204), ("0.01", 204), ("+Inf", 205)),
            Duration(Board, 200, 0.180, ("0.001", 0), ("0.005", 99), ("0.01", 99), ("+Inf", 99)) + "\n"
            + Duration(Board, 404, 0.001, ("0.001", 0), ("0.005", 1), ("0.01", 1), ("+Inf", 1))], t0.AddSeconds(10));

        var summary = Prometheus.Summarise(before, after);

        var board = $"http_server_request_duration_seconds{{http_route=\"{Board}\"}}";
        Assert.Equal(200, summary[board + " count"]);
        Assert.Equal((0.090 + 0.180 + 0.001) * 1000 / 200, summary[board + " mean (ms)"], 6);
        // 98 + 100 of 200 are within 5 ms (99 %), so 5 ms is the first bound holding 99 %.
        Assert.Equal(5, summary[board + " p99 (bucket bound, ms)"]);
        var save = $"http_server_request_duration_seconds{{http_route=\"{Save}\"}}";
        Assert.Equal(200, summary[save + " count"]);
        Assert.Equal(3, summary[save + " mean (ms)"], 6);
        Assert.Equal(5, summary[save + " p99 (bucket bound, ms)"]);
        Assert.DoesNotContain(summary.Keys, k => k.StartsWith("http_server_request_duration_seconds count", StringComparison.Ordinal));
    }

    [Fact]
    public void Other_histograms_add_up_over_their_label_sets_and_keep_their_unit()
    {
        var t0 = DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var before = Prometheus.Parse([Ack("online", 0, ("1", 0), ("5", 0), ("+Inf", 0))], t0);
        var after = Prometheus.Parse([Ack("online", 300, ("1", 50), ("5", 100), ("+Inf", 100)) + "\n" + Ack("live", 900, ("1", 0), ("5", 0), ("+Inf", 100))],
            t0.AddSeconds(2));

        var summary = Prometheus.Summarise(before, after);

        Assert.Equal(200, summary["nq66_answers_ack_duration_milliseconds count"]);
        Assert.Equal(6, summary["nq66_answers_ack_duration_milliseconds mean"], 6);
        // Half the answers are beyond the last finite bound: no p99 bound can be named.
        Assert.False(summary.ContainsKey("nq66_answers_ack_duration_milliseconds p99 (bucket bound)"));
    }

    [Fact]
    public void A_live_close_is_reported_per_phase()
    {
        static string Close(string phase, double sumMs, params (string Le, int Count)[] buckets) =>
            string.Join('\n', buckets.Select(b => $"nq66_live_close_duration_milliseconds_bucket{{otel_scope_name=\"NQ66Quiz\",phase=\"{phase}\",le=\"{b.Le}\"}} {b.Count}")
                .Append($"nq66_live_close_duration_milliseconds_sum{{otel_scope_name=\"NQ66Quiz\",phase=\"{phase}\"}} {sumMs.ToString(System.Globalization.CultureInfo.InvariantCulture)}")
                .Append($"nq66_live_close_duration_milliseconds_count{{otel_scope_name=\"NQ66Quiz\",phase=\"{phase}\"}} {buckets[^1].Count}"));
        var t0 = DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var before = Prometheus.Parse([Close("save", 0, ("100", 0), ("+Inf", 0)) + "\n" + Close("send", 0, ("1", 0), ("+Inf", 0))], t0);
        var after = Prometheus.Parse([Close("save", 400, ("100", 2), ("200", 5), ("+Inf", 5)) + "\n" + Close("send", 5, ("1", 5), ("+Inf", 5))], t0.AddSeconds(30));

        var summary = Prometheus.Summarise(before, after);

        Assert.Equal(80, summary["nq66_live_close_duration_milliseconds{phase=\"save\"} mean"], 6);
        Assert.Equal(200, summary["nq66_live_close_duration_milliseconds{phase=\"save\"} p99 (bucket bound)"]);
        Assert.Equal(1, summary["nq66_live_close_duration_milliseconds{phase=\"send\"} mean"], 6);
        Assert.False(summary.ContainsKey("nq66_live_close_duration_milliseconds count"));
    }
}
