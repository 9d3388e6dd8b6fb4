using System.ComponentModel.DataAnnotations;

namespace NQ66Quiz.Web.Features.Contests;

/// <summary>Contest settings from configuration section <c>Contests</c> (env: <c>Contests__SubmitGraceSeconds</c>).</summary>
public sealed class ContestOptions
{
    public const string Section = "Contests";

    /// <summary>Answers and submissions that arrive this long after the deadline still count: a phone on a slow
    /// network presses "Nộp bài" in time but its request lands a few seconds late.</summary>
    [Range(0, 120, ErrorMessage = "Contests:SubmitGraceSeconds must be 0-120 (Contests__SubmitGraceSeconds).")]
    public int SubmitGraceSeconds { get; set; } = 10;

    /// <summary>How often the background jobs look for attempts past their deadline and rounds past their closing.</summary>
    [Range(1, 3600, ErrorMessage = "Contests:JobIntervalSeconds must be 1-3600 (Contests__JobIntervalSeconds).")]
    public int JobIntervalSeconds { get; set; } = 5;

    public TimeSpan Grace => TimeSpan.FromSeconds(SubmitGraceSeconds);
}
