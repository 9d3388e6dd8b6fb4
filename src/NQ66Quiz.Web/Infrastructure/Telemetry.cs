using System.Diagnostics.Metrics;
using System.Net;
using Npgsql;
using OpenTelemetry.Metrics;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>
/// What operators see under load: the app's own meters (below), ASP.NET Core, the .NET runtime and Npgsql, scraped by
/// Prometheus at <c>/metrics</c> (loopback callers only; put a scraper beside each node) and pushed over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The load harness reads the same endpoint for its report.
/// </summary>
public static class Telemetry
{
    public const string MeterName = "NQ66Quiz";
    public const string ScrapePath = "/metrics";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Players seated in a live round through a hub connection of this node (<c>LiveConnections</c> adds and removes).</summary>
    public static readonly UpDownCounter<long> ConnectedPlayers = Meter.CreateUpDownCounter<long>("nq66.live.connected_players", "{player}",
        "Players connected to a live-round hub on this node.");

    /// <summary>Answers acknowledged (durable in PostgreSQL): online attempts and live rounds, by <c>kind</c>.</summary>
    public static readonly Counter<long> AnswersAcked = Meter.CreateCounter<long>("nq66.answers.acked", "{answer}",
        "Answers acknowledged after PostgreSQL committed them.");

    public static readonly Histogram<double> AnswerAckDuration = Meter.CreateHistogram("nq66.answers.ack.duration", "ms",
        "From an answer's arrival at the server to its acknowledgement (commit included).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2500] });

    public static readonly Histogram<int> GroupCommitBatch = Meter.CreateHistogram("nq66.answers.group_commit.batch_size", "{answer}",
        "Answers written and committed by one statement of the group commit.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    public static readonly Histogram<int> RedisWriteBatch = Meter.CreateHistogram("nq66.redis.write_batch.size", "{command}",
        "Redis commands sent in one pipelined batch (leaderboard writes).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 3, 10, 30, 100, 300, 1000, 3000] });

    /// <summary>
    /// A live question's close on the node that closed it, by <c>phase</c>, in this order: <c>collect</c> (answers and
    /// players read back), <c>rank</c> (points, streaks, ranks, the board), <c>save</c> (PostgreSQL), <c>publish</c>
    /// (Redis), <c>send</c> (the host's result and the room's board handed to SignalR); and <c>total</c>.
    /// </summary>
    public static readonly Histogram<double> LiveCloseDuration = Meter.CreateHistogram("nq66.live.close.duration", "ms",
        "Time a live question's close spent in each phase on the node that closed it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 750, 1000, 2500] });

    /// <summary>The <c>kind</c> tag of the answer meters: online attempts and live rounds.</summary>
    public static readonly KeyValuePair<string, object?> OnlineKind = new("kind", "online");

    public static readonly KeyValuePair<string, object?> LiveKind = new("kind", "live");

    public static readonly Counter<long> AttemptsSubmitted = Meter.CreateCounter<long>("nq66.attempts.submitted", "{attempt}",
        "Attempts submitted and scored.");

    /// <summary>
    /// Seconds. ASP.NET Core's own buckets start at 5 ms, where the hot endpoints' whole tail lies; the first bound
    /// holding 99 % of a route's requests is the p99 the load report reads.
    /// </summary>
    private static readonly double[] RequestDurationBuckets =
        [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    static Telemetry()
    {
        Meter.CreateObservableGauge("nq66.process.working_set", () => Environment.WorkingSet, "By", "Resident memory of this node.");
    }

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(MeterName)
                .AddAspNetCoreInstrumentation()
                .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = RequestDurationBuckets })
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter();
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        return builder;
    }

    /// <summary>The scrape endpoint answers loopback callers only: metrics name routes and load, not for the internet.</summary>
    public static WebApplication UseTelemetry(this WebApplication app)
    {
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == ScrapePath && context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip));
        return app;
    }
}
