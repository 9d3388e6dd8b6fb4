// The wire contract of live rounds (vòng thi trực tiếp): hub routes, hub method names, the messages each kind of client
// receives and every request/response record. The load harness (load-tests/) and the JS pages are written against
// exactly these names; a renamed or removed member here is a breaking change and is listed in this header.
//
// Changes since the first version: none.
//
// Protocol: SignalR JSON (camelCase on the wire). Times are server times in Unix milliseconds, so a client computes
// its clock offset from ServerNowMs and never trusts its own clock for the deadline. Errors are a stable code
// (LiveErrors) plus a Vietnamese message for the person.

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>Hub routes. Players connect anonymously (or signed in as a participant); hosts need the organizer sign-in.</summary>
public static class LiveRoutes
{
    public const string PlayerHub = "/hubs/live";
    public const string HostHub = "/hubs/live-host";

    /// <summary>Organizer HTTP API (create, open, results, export) lives under this group.</summary>
    public const string OrganizerApi = "/api/organizer/live-rounds";

    /// <summary>The player page; the join link (and its QR code) is <c>/truc-tiep?pin=123456</c>.</summary>
    public const string PlayerPage = "/truc-tiep";
}

/// <summary>Methods a player connection invokes on <see cref="LiveRoutes.PlayerHub"/> (InvokeAsync&lt;TResult&gt;).</summary>
public static class LivePlayerMethods
{
    /// <summary><c>Join(JoinRequest) → JoinResult</c>: enter the room by its 6-digit PIN.</summary>
    public const string Join = "Join";

    /// <summary><c>Rejoin(RejoinRequest) → JoinResult</c>: after a reconnect, the same player, score and streak.</summary>
    public const string Rejoin = "Rejoin";

    /// <summary><c>Answer(AnswerRequest) → AnswerAck</c>: acknowledged only once the answer is durable in PostgreSQL.</summary>
    public const string Answer = "Answer";

    /// <summary><c>Resync() → PlayerState</c>: the current state of the round for this player, asked after a reconnect.</summary>
    public const string Resync = "Resync";
}

/// <summary>Methods a host connection invokes on <see cref="LiveRoutes.HostHub"/>. Each takes the round id first.</summary>
public static class LiveHostMethods
{
    /// <summary><c>Watch(long roundId) → HostState</c>: subscribe this connection (host console or projector) to the round.</summary>
    public const string Watch = "Watch";

    /// <summary><c>Open(long roundId) → HostCommandResult</c>: draft → lobby; the state then carries the PIN.</summary>
    public const string Open = "Open";

    /// <summary><c>Start(long roundId) → HostCommandResult</c>: lobby → first question open.</summary>
    public const string Start = "Start";

    /// <summary><c>Next(long roundId) → HostCommandResult</c>: after a close, open the next question (or finish after the last).</summary>
    public const string Next = "Next";

    /// <summary><c>Pause(long roundId) → HostCommandResult</c>: stop the clock of the open question.</summary>
    public const string Pause = "Pause";

    /// <summary><c>Resume(long roundId) → HostCommandResult</c>: the clock continues with the time that was left.</summary>
    public const string Resume = "Resume";

    /// <summary><c>Skip(long roundId) → HostCommandResult</c>: close the open question now, voided (no points, streaks kept).</summary>
    public const string Skip = "Skip";

    /// <summary><c>End(long roundId) → HostCommandResult</c>: finish the round now; final ranks and podium go out.</summary>
    public const string End = "End";

    /// <summary><c>RemovePlayer(long roundId, long playerId) → HostCommandResult</c>: the player is told and cannot rejoin.</summary>
    public const string RemovePlayer = "RemovePlayer";

    /// <summary><c>SetLocked(long roundId, bool locked) → HostCommandResult</c>: a locked room takes no new player (rejoin still works).</summary>
    public const string SetLocked = "SetLocked";
}

/// <summary>What a player connection receives. One interface so that a renamed message is a compile error.</summary>
public interface ILivePlayerClient
{
    /// <summary>A question opened; options carry no correctness and are in this player's own shuffled order.</summary>
    Task QuestionOpened(LiveQuestion question);

    /// <summary>This player's own outcome of the question just closed (sent once per close, to this player only).</summary>
    Task QuestionClosed(PlayerOutcome outcome);

    /// <summary>Top N players (and units in unit mode), one broadcast to the round per close when the round shows it.</summary>
    Task Leaderboard(LeaderboardView leaderboard);

    /// <summary>The clock of the open question stopped (host paused).</summary>
    Task Paused(PauseView pause);

    /// <summary>The clock runs again with a new server deadline.</summary>
    Task Resumed(ResumeView view);

    /// <summary>The round is over: this player's final rank, points and accuracy.</summary>
    Task Finished(PlayerFinal final);

    /// <summary>The podium, one broadcast to the round at the end.</summary>
    Task Podium(PodiumView podium);

    /// <summary>The host removed this player; the connection should stop trying to rejoin.</summary>
    Task Removed(RemovedView removed);
}

/// <summary>What a host connection (console or projector) receives.</summary>
public interface ILiveHostClient
{
    /// <summary>Who is in the lobby; coalesced (at most a few per second), never one message per join.</summary>
    Task Lobby(LobbyView lobby);

    /// <summary>A question opened. The same no-key view players get: the projector is seen by the whole hall.</summary>
    Task QuestionOpened(LiveQuestion question);

    /// <summary>How many answered so far; coalesced (at most a few per second).</summary>
    Task AnswerProgress(AnswerProgressView progress);

    /// <summary>A question closed: the correct option, the distribution of answers, top N.</summary>
    Task QuestionClosed(HostQuestionResult result);

    Task Leaderboard(LeaderboardView leaderboard);

    Task Paused(PauseView pause);

    Task Resumed(ResumeView view);

    Task Podium(PodiumView podium);

    /// <summary>The whole state changed (open, lock, remove, end): the host view redraws from it.</summary>
    Task State(HostState state);
}

/// <summary>Stable error codes (the message beside each is Vietnamese, for the person).</summary>
public static class LiveErrors
{
    public const string NoSuchRound = "no_such_round";        // PIN or token does not match an open round
    public const string RoomLocked = "room_locked";
    public const string RoundEnded = "round_ended";
    public const string NicknameInvalid = "nickname_invalid";
    public const string NicknameTaken = "nickname_taken";
    public const string UnitRequired = "unit_required";
    public const string IdentityRequired = "identity_required"; // the host requires a signed-in participant
    public const string Removed = "removed";
    public const string NotJoined = "not_joined";
    public const string QuestionNotOpen = "question_not_open";  // no question open, or a different one is
    public const string TooLate = "too_late";                   // after the deadline plus the grace
    public const string AlreadyAnswered = "already_answered";
    public const string OptionUnknown = "option_unknown";
    public const string RateLimited = "rate_limited";
    public const string Forbidden = "forbidden";
    public const string InvalidState = "invalid_state";          // a host command that does not fit the round's phase
    public const string Unavailable = "unavailable";            // storage did not answer; the answer was NOT recorded
}

/// <summary>Phases of a round, as strings on the wire.</summary>
public static class LivePhases
{
    public const string Draft = "draft";
    public const string Lobby = "lobby";
    public const string Question = "question";   // a question is open (Paused says whether its clock runs)
    public const string Closed = "closed";       // between questions: results of the last one are shown
    public const string Ended = "ended";
}

// ---- Player requests and responses -------------------------------------------------------------------------------

/// <param name="Pin">6 digits.</param>
/// <param name="Nickname">1–30 characters after trimming (NFC); ignored for a signed-in participant when the round requires identity.</param>
/// <param name="UnitId">Required in unit mode: an id from the units list (<c>GET /api/units?q=</c>).</param>
public sealed record JoinRequest(string Pin, string? Nickname, int? UnitId = null);

/// <param name="Token">The RejoinToken from a previous JoinResult.</param>
public sealed record RejoinRequest(string Token);

/// <summary>Ok = Error is null. RejoinToken identifies this player in this round across reconnects (keep it in sessionStorage).</summary>
public sealed record JoinResult(
    string? Error,
    string? Message,
    long RoundId,
    long PlayerId,
    string? Nickname,
    string? RejoinToken,
    PlayerState? State)
{
    public bool Ok => Error is null;
}

/// <param name="Question">1-based number of the question in the round (LiveQuestion.Number).</param>
/// <param name="Option">The Id of the chosen option as sent in LiveQuestion.Options (not its display position).</param>
public sealed record AnswerRequest(int Question, int Option);

/// <summary>
/// Accepted = Error is null: the answer is stored and counts. ElapsedMs is the server-measured time from opening (what
/// the points depend on). Says nothing about correctness: that comes with QuestionClosed.
/// </summary>
public sealed record AnswerAck(string? Error, string? Message, int Question, int ElapsedMs, long ServerNowMs)
{
    public bool Accepted => Error is null;
}

/// <summary>Everything a player's page needs to redraw after (re)connecting.</summary>
/// <param name="Phase">One of LivePhases.</param>
/// <param name="Question">The open question (with its remaining time) when Phase is question.</param>
/// <param name="AnsweredOption">The option this player already chose for the open question, if any.</param>
/// <param name="LastOutcome">This player's outcome of the last closed question, when Phase is closed.</param>
/// <param name="Final">When Phase is ended.</param>
public sealed record PlayerState(
    string Phase,
    string Title,
    int QuestionCount,
    bool UnitMode,
    long Points,
    int Streak,
    int CorrectCount,
    int AnsweredCount,
    LiveQuestion? Question,
    int? AnsweredOption,
    bool Paused,
    long? RemainingMs,
    PlayerOutcome? LastOutcome,
    LeaderboardView? Leaderboard,
    PlayerFinal? Final,
    PodiumView? Podium,
    long ServerNowMs);

// ---- Messages ----------------------------------------------------------------------------------------------------

/// <param name="Id">Option id within this question of this round (random frozen order per round; not the authoring order).</param>
/// <param name="Html">Rendered inline Markdown (safe HTML).</param>
public sealed record LiveOption(int Id, string Html);

/// <summary>No answer key: options are in the receiving player's shuffled order and carry no correctness.</summary>
/// <param name="Number">1-based.</param>
/// <param name="OpenedAtMs">Server time the question opened.</param>
/// <param name="ClosesAtMs">Server deadline (the grace for messages in flight is on top of this, not shown).</param>
/// <param name="TimeLimitMs">The full time limit T.</param>
/// <param name="Points">P for this question: 0, 1000 or 2000.</param>
public sealed record LiveQuestion(
    long RoundId,
    int Number,
    int Count,
    string StemHtml,
    IReadOnlyList<LiveOption> Options,
    long OpenedAtMs,
    long ClosesAtMs,
    int TimeLimitMs,
    int Points,
    long ServerNowMs);

/// <summary>One player's result of one closed question.</summary>
/// <param name="Chosen">The option this player chose, or null if they did not answer.</param>
/// <param name="Voided">The host skipped the question: no points, streak unchanged.</param>
/// <param name="Rank">1-based rank after this question (ties share a rank); null when the round hides the leaderboard until the end.</param>
public sealed record PlayerOutcome(
    int Question,
    int CorrectOption,
    int? Chosen,
    bool Correct,
    bool Voided,
    int PointsGained,
    int StreakBonus,
    long Points,
    int Streak,
    int? Rank,
    int PlayerCount);

/// <param name="Rank">1-based, ties share a rank (same points → same rank).</param>
public sealed record LeaderboardEntry(int Rank, long PlayerId, string Nickname, string? UnitName, long Points, int CorrectCount);

/// <param name="Points">Unit mode: the average of the unit's players' points, rounded to a whole number.</param>
public sealed record UnitLeaderboardEntry(int Rank, int UnitId, string UnitName, long Points, int PlayerCount);

/// <param name="AfterQuestion">The number of the question just closed (0 before any).</param>
public sealed record LeaderboardView(long RoundId, int AfterQuestion, int PlayerCount, IReadOnlyList<LeaderboardEntry> Top, IReadOnlyList<UnitLeaderboardEntry> Units);

public sealed record PauseView(long RoundId, int Question, long RemainingMs);

public sealed record ResumeView(long RoundId, int Question, long ClosesAtMs, long ServerNowMs);

/// <param name="Accuracy">CorrectCount / questions scored (voided ones excluded), 0..1.</param>
public sealed record PlayerFinal(long RoundId, long PlayerId, int Rank, int PlayerCount, long Points, int CorrectCount, int ScoredQuestions, double Accuracy, int? UnitRank);

/// <summary>Top 3 players and, in unit mode, top 3 units.</summary>
public sealed record PodiumView(long RoundId, IReadOnlyList<LeaderboardEntry> Players, IReadOnlyList<UnitLeaderboardEntry> Units);

public sealed record RemovedView(long RoundId, string Message);

// ---- Host ---------------------------------------------------------------------------------------------------------

public sealed record LobbyPlayer(long PlayerId, string Nickname, string? UnitName);

/// <param name="Recent">The most recent joiners (at most 50), newest first; the count is exact.</param>
public sealed record LobbyView(long RoundId, int PlayerCount, IReadOnlyList<LobbyPlayer> Recent, bool Locked);

public sealed record AnswerProgressView(long RoundId, int Question, int Answered, int PlayerCount);

/// <summary>How many chose one option; a result lists them in the frozen option order (Id ascending).</summary>
public sealed record OptionCount(int Option, string Html, bool Correct, int Count);

public sealed record HostQuestionResult(
    long RoundId,
    int Question,
    bool Voided,
    int CorrectOption,
    IReadOnlyList<OptionCount> Distribution,
    int Answered,
    int PlayerCount,
    LeaderboardView Leaderboard);

/// <param name="Pin">6 digits once opened; null in draft and after the end.</param>
/// <param name="JoinUrl">Absolute join link (what the QR code encodes).</param>
public sealed record HostState(
    long RoundId,
    string Title,
    string Phase,
    string? Pin,
    string? JoinUrl,
    bool Locked,
    bool UnitMode,
    bool RequireIdentity,
    bool LeaderboardEachQuestion,
    int QuestionCount,
    int CurrentQuestion,
    LiveQuestion? Question,
    bool Paused,
    long? RemainingMs,
    int PlayerCount,
    int Answered,
    HostQuestionResult? LastResult,
    PodiumView? Podium,
    long ServerNowMs);

/// <summary>Ok = Error is null; State is the round after the command (or as it was when refused).</summary>
public sealed record HostCommandResult(string? Error, string? Message, HostState? State)
{
    public bool Ok => Error is null;
}

// ---- Organizer HTTP API (LiveRoutes.OrganizerApi) ----------------------------------------------------------------

/// <summary>
/// <c>POST /api/organizer/live-rounds</c> → 201 LiveRoundCreated, or 400 ValidationProblem (Vietnamese messages).
/// Either QuestionIds (single-answer questions of the bank, in order) or Blueprint (drawn from the bank now, frozen).
/// </summary>
/// <param name="TimeLimitSeconds">5–240 per question.</param>
/// <param name="Points">0, 1000 or 2000 per question.</param>
/// <param name="LeaderboardEachQuestion">true: leaderboard after each question; false: only at the end.</param>
public sealed record CreateLiveRoundRequest(
    string Title,
    IReadOnlyList<string>? QuestionIds,
    IReadOnlyList<LiveBlueprintLine>? Blueprint,
    int TimeLimitSeconds = 20,
    int Points = 1000,
    bool StreakBonus = true,
    bool LeaderboardEachQuestion = true,
    bool UnitMode = false,
    bool RequireIdentity = false,
    // The contest round (tuần thi) this live round is part of, if any: its players then count in that contest's unit figures.
    long? ContestRoundId = null);

/// <summary>Draw Count questions matching the tags (null = any).</summary>
public sealed record LiveBlueprintLine(int Count, int? Viewpoint = null, int? Task = null, string? Topic = null, string? Difficulty = null);

public sealed record LiveRoundCreated(long RoundId, int QuestionCount);

/// <summary><c>POST /api/organizer/live-rounds/{id}/open</c> → 200 LiveRoundOpened (idempotent once opened).</summary>
public sealed record LiveRoundOpened(long RoundId, string Pin, string JoinUrl);
