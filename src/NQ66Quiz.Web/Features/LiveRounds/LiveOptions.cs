using System.ComponentModel.DataAnnotations;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>Settings of live rounds (section LiveRounds). The defaults suit a meeting hall on mobile networks.</summary>
public sealed class LiveOptions
{
    public const string Section = "LiveRounds";

    /// <summary>
    /// How long after the deadline an answer still counts: messages in flight from a phone on a slow network. Its
    /// response time is capped at the limit, so the grace never pays more than an answer at the last moment.
    /// </summary>
    [Range(0, 3000, ErrorMessage = "LiveRounds:GraceMilliseconds must be 0–3000 (LiveRounds__GraceMilliseconds).")]
    public int GraceMilliseconds { get; set; } = 500;

    /// <summary>How often each node looks for questions due to close and sends the coalesced host updates (real time).</summary>
    [Range(10, 3_600_000, ErrorMessage = "LiveRounds:TickMilliseconds must be 10–3600000 (LiveRounds__TickMilliseconds).")]
    public int TickMilliseconds { get; set; } = 100;

    /// <summary>Group commit: how long the first answer of a batch waits for others before the one commit.</summary>
    [Range(0, 50, ErrorMessage = "LiveRounds:GroupCommitMilliseconds must be 0–50 (LiveRounds__GroupCommitMilliseconds).")]
    public int GroupCommitMilliseconds { get; set; } = 3;

    [Range(1, 10_000, ErrorMessage = "LiveRounds:GroupCommitMaxBatch must be 1–10000 (LiveRounds__GroupCommitMaxBatch).")]
    public int GroupCommitMaxBatch { get; set; } = 2000;

    /// <summary>Top N sent to the room after each close.</summary>
    [Range(3, 50, ErrorMessage = "LiveRounds:LeaderboardSize must be 3–50 (LiveRounds__LeaderboardSize).")]
    public int LeaderboardSize { get; set; } = 10;

    /// <summary>Hub calls per connection: a bucket of this many, refilled at this many per second.</summary>
    [Range(1, 1000, ErrorMessage = "LiveRounds:CallsPerSecond must be 1–1000 (LiveRounds__CallsPerSecond).")]
    public int CallsPerSecond { get; set; } = 10;

    [Range(1, 1000, ErrorMessage = "LiveRounds:CallBurst must be 1–1000 (LiveRounds__CallBurst).")]
    public int CallBurst { get; set; } = 20;

    /// <summary>Browser origins allowed to open the hubs besides the site itself (e.g. https://quiz.hanoi.gov.vn).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>The public address in join links and QR codes (e.g. https://quiz.hanoi.gov.vn); empty = the request's own.</summary>
    public string? PublicBaseUrl { get; set; }
}
