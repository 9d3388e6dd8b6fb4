using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>
/// Live rounds on any node: host commands, joins, the answer hot path, the question close and the end. Every decision
/// reads and writes the shared state (<see cref="LiveState"/> in Redis, <see cref="LiveStore"/> in PostgreSQL); round
/// events go to every node over Redis pub/sub, and each node then writes the per-player messages to its own connections.
/// </summary>
public sealed class LiveEngine
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan CloseLease = TimeSpan.FromSeconds(15);

    private readonly LiveStore _store;
    private readonly LiveState _state;
    private readonly AnswerWriter _writer;
    private readonly LiveConnections _connections;
    private readonly IHubContext<LivePlayerHub, ILivePlayerClient> _players;
    private readonly IHubContext<LiveHostHub, ILiveHostClient> _hosts;
    private readonly TimeProvider _time;
    private readonly LiveOptions _options;
    private readonly IDataProtector _tokens;
    private readonly ILogger<LiveEngine> _logger;
    private readonly ConcurrentDictionary<long, Task<LiveRoundDef?>> _rounds = new();
    private readonly ConcurrentDictionary<long, byte> _lobbyDirty = new();
    private readonly ConcurrentDictionary<long, byte> _progressDirty = new();

    public LiveEngine(LiveStore store, LiveState state, AnswerWriter writer, LiveConnections connections,
        IHubContext<LivePlayerHub, ILivePlayerClient> players, IHubContext<LiveHostHub, ILiveHostClient> hosts,
        TimeProvider time, IOptions<LiveOptions> options, IDataProtectionProvider protection, ILogger<LiveEngine> logger)
    {
        _store = store;
        _state = state;
        _writer = writer;
        _connections = connections;
        _players = players;
        _hosts = hosts;
        _time = time;
        _options = options.Value;
        _tokens = protection.CreateProtector("NQ66Quiz.LiveRounds.Rejoin");
        _logger = logger;
        _writer.Committed += OnCommittedAsync;
    }

    public static string PlayersGroup(long r) => $"live:{r}";

    public static string HostsGroup(long r) => $"live-host:{r}";

    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public Task<LiveRoundDef?> RoundAsync(long r)
    {
        var task = _rounds.GetOrAdd(r, id => _store.LoadAsync(id, CancellationToken.None));
        if (task.IsCompleted && (task.IsFaulted || task.Result is null))
        {
            // Do not cache a failure or a round that did not exist yet.
            _rounds.TryRemove(r, out _);
        }
        return task;
    }

    /// <summary>For tests only: their database reset restarts round ids, so a cached definition would be another round's.</summary>
    internal void ForgetCachedRounds() => _rounds.Clear();

    // ---- Views -----------------------------------------------------------------------------------------------------

    /// <summary>
    /// The option order a player sees for one question: a Fisher–Yates shuffle seeded by the round's secret seed, the
    /// player and the question, so every node computes the same order and none is stored. Player 0 (the host and the
    /// projector) sees the frozen order.
    /// </summary>
    public static int[] OrderFor(long seed, long playerId, int number, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (playerId == 0)
        {
            return order;
        }
        var x = (ulong)seed ^ ((ulong)playerId * 0x9E3779B97F4A7C15UL) ^ ((ulong)number * 0xBF58476D1CE4E5B9UL);
        for (var i = count - 1; i > 0; i--)
        {
            x = SplitMix(ref x);
            var j = (int)(x % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public LiveQuestion QuestionView(LiveRoundDef def, int number, LiveRunState st, long playerId)
    {
        var q = def.Questions[number - 1];
        var options = OrderFor(def.ShuffleSeed, playerId, number, q.Options.Count).Select(i => new LiveOption(i, q.Options[i])).ToList();
        return new LiveQuestion(def.Id, number, def.Questions.Count, q.StemHtml, options, st.OpenedAtMs, st.ClosesAtMs, def.TimeLimitMs, def.Points, NowMs);
    }

    private static string ViewPhase(string phase) => phase == "closing" ? LivePhases.Question : phase;

    public async Task<PlayerState> PlayerStateAsync(LiveSeat seat)
    {
        var def = (await RoundAsync(seat.RoundId))!;
        var st = await _state.ReadAsync(seat.RoundId);
        var db = _state.Db;
        var totals = LiveState.DecodeTotals(await db.HashGetAsync(_state.Scores(seat.RoundId), seat.PlayerId));
        var phase = ViewPhase(st.Phase);
        LiveQuestion? question = null;
        int? answered = null;
        PlayerOutcome? last = null;
        LeaderboardView? board = null;
        PlayerFinal? final = null;
        PodiumView? podium = null;
        if (phase == LivePhases.Question && st.Question > 0)
        {
            question = QuestionView(def, st.Question, st, seat.PlayerId);
            var chosen = await db.HashGetAsync(_state.Answers(seat.RoundId, st.Question), seat.PlayerId);
            answered = chosen.IsNullOrEmpty ? null : (int)chosen;
        }
        if (st.LastClosed > 0 && phase != LivePhases.Question)
        {
            last = Parse<PlayerOutcome>(await db.HashGetAsync(_state.Outcomes(seat.RoundId, st.LastClosed), seat.PlayerId));
            board = def.LeaderboardEachQuestion ? Parse<LeaderboardView>(await db.StringGetAsync(_state.LastBoard(seat.RoundId))) : null;
        }
        if (phase == LivePhases.Ended)
        {
            final = Parse<PlayerFinal>(await db.HashGetAsync(_state.Finals(seat.RoundId), seat.PlayerId));
            podium = Parse<PodiumView>(await db.StringGetAsync(_state.Podium(seat.RoundId)));
        }
        var remaining = phase != LivePhases.Question ? (long?)null : st.Paused ? st.RemainingMs : Math.Max(0, st.ClosesAtMs - NowMs);
        return new PlayerState(phase, def.Title, def.Questions.Count, def.UnitMode, totals.Points, totals.Streak, totals.CorrectCount, totals.Scored,
            question, answered, st.Paused, remaining, last, board, final, podium, NowMs);
    }

    public async Task<HostState?> HostStateAsync(long r, string baseUrl)
    {
        var def = await RoundAsync(r);
        if (def is null)
        {
            return null;
        }
        var st = await _state.ReadAsync(r);
        var phase = ViewPhase(st.Phase);
        if (ReferenceEquals(st, LiveRunState.Missing))
        {
            phase = await _store.PhaseAsync(r, CancellationToken.None) ?? LivePhases.Draft;
        }
        var db = _state.Db;
        var question = phase == LivePhases.Question && st.Question > 0 ? QuestionView(def, st.Question, st, 0) : null;
        var answered = st.Question > 0 ? (int)await db.HashLengthAsync(_state.Answers(r, st.Question)) : 0;
        var last = st.LastClosed > 0 ? Parse<HostQuestionResult>(await db.StringGetAsync(_state.Result(r, st.LastClosed))) : null;
        var podium = phase == LivePhases.Ended ? Parse<PodiumView>(await db.StringGetAsync(_state.Podium(r))) : null;
        var remaining = phase != LivePhases.Question ? (long?)null : st.Paused ? st.RemainingMs : Math.Max(0, st.ClosesAtMs - NowMs);
        var pin = phase is LivePhases.Draft or LivePhases.Ended ? null : st.Pin;
        return new HostState(r, def.Title, phase, pin, pin is null ? null : st.JoinUrl ?? JoinUrl(baseUrl, pin), st.Locked, def.UnitMode, def.RequireIdentity,
            def.LeaderboardEachQuestion, def.Questions.Count, st.Question, question, st.Paused, remaining, st.Active, answered, last, podium, NowMs);
    }

    public string JoinUrl(string requestBaseUrl, string pin)
    {
        var root = string.IsNullOrWhiteSpace(_options.PublicBaseUrl) ? requestBaseUrl : _options.PublicBaseUrl;
        return $"{root.TrimEnd('/')}{LiveRoutes.PlayerPage}?pin={pin}";
    }

    private static T? Parse<T>(RedisValue value) where T : class => value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<T>(value.ToString(), Json);

    private static string Text<T>(T value) => JsonSerializer.Serialize(value, Json);

    // ---- Host commands ---------------------------------------------------------------------------------------------

    public async Task<string?> OpenAsync(long r, string requestBaseUrl)
    {
        var pin = await _store.OpenAsync(r, () => RandomNumberGenerator.GetInt32(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture), _time.GetUtcNow(), CancellationToken.None);
        if (pin is not null)
        {
            var st = await _state.ReadAsync(r);
            if (ReferenceEquals(st, LiveRunState.Missing))
            {
                await _state.InitLobbyAsync(r, pin, JoinUrl(requestBaseUrl, pin));
            }
        }
        return pin;
    }

    /// <summary>Start (from the lobby) and next (after a close) are one step: open the following question, or end after the last.</summary>
    public async Task<string?> NextAsync(long r, bool fromLobby)
    {
        var def = (await RoundAsync(r))!;
        var st = await _state.ReadAsync(r);
        if (fromLobby ? st.Phase != LivePhases.Lobby : st.Phase != LivePhases.Closed)
        {
            return LiveErrors.InvalidState;
        }
        if (st.Active == 0 && fromLobby)
        {
            return LiveErrors.InvalidState;
        }
        var number = st.LastClosed + 1;
        if (number > def.Questions.Count)
        {
            await FinishAsync(r);
            return null;
        }
        var now = NowMs;
        if (!await _state.OpenQuestionAsync(r, number, st.LastClosed, now, now + def.TimeLimitMs, _options.GraceMilliseconds))
        {
            return LiveErrors.InvalidState;
        }
        await _store.MarkOpenedAsync(r, number, DateTimeOffset.FromUnixTimeMilliseconds(now), DateTimeOffset.FromUnixTimeMilliseconds(now + def.TimeLimitMs), CancellationToken.None);
        await _state.Db.PublishAsync(_state.Events, $"opened {r} {number}");
        var opened = await _state.ReadAsync(r);
        await _hosts.Clients.Group(HostsGroup(r)).QuestionOpened(QuestionView(def, number, opened, 0));
        return null;
    }

    public async Task<string?> PauseAsync(long r)
    {
        var st = await _state.ReadAsync(r);
        var now = NowMs;
        var remaining = await _state.PauseAsync(r, now);
        if (remaining < 0)
        {
            return LiveErrors.InvalidState;
        }
        await _store.MarkPausedAsync(r, st.Question, DateTimeOffset.FromUnixTimeMilliseconds(now), (int)remaining, null, null, CancellationToken.None);
        var view = new PauseView(r, st.Question, remaining);
        await Task.WhenAll(_players.Clients.Group(PlayersGroup(r)).Paused(view), _hosts.Clients.Group(HostsGroup(r)).Paused(view));
        return null;
    }

    public async Task<string?> ResumeAsync(long r)
    {
        var closesAt = await _state.ResumeAsync(r, NowMs, _options.GraceMilliseconds);
        if (closesAt < 0)
        {
            return LiveErrors.InvalidState;
        }
        var st = await _state.ReadAsync(r);
        await _store.MarkPausedAsync(r, st.Question, null, null, DateTimeOffset.FromUnixTimeMilliseconds(st.OpenedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(closesAt), CancellationToken.None);
        var view = new ResumeView(r, st.Question, closesAt, NowMs);
        await Task.WhenAll(_players.Clients.Group(PlayersGroup(r)).Resumed(view), _hosts.Clients.Group(HostsGroup(r)).Resumed(view));
        return null;
    }

    public async Task<string?> SkipAsync(long r)
    {
        var st = await _state.ReadAsync(r);
        if (st.Phase != LivePhases.Question)
        {
            return LiveErrors.InvalidState;
        }
        await CloseAsync(r, st.Question, voided: true);
        return null;
    }

    public async Task<string?> EndAsync(long r)
    {
        var st = await _state.ReadAsync(r);
        if (st.Phase is LivePhases.Ended or LivePhases.Draft)
        {
            return LiveErrors.InvalidState;
        }
        await FinishAsync(r);
        return null;
    }

    public async Task<string?> SetLockedAsync(long r, bool locked)
    {
        var st = await _state.ReadAsync(r);
        if (st.Phase is LivePhases.Ended or LivePhases.Draft)
        {
            return LiveErrors.InvalidState;
        }
        await _store.SetLockedAsync(r, locked, CancellationToken.None);
        await _state.Db.HashSetAsync(_state.State(r), "locked", locked ? 1 : 0);
        _lobbyDirty[r] = 0;
        return null;
    }

    public async Task<string?> RemovePlayerAsync(long r, long playerId)
    {
        var player = await _store.PlayerAsync(r, playerId, null, CancellationToken.None);
        if (player is null)
        {
            return LiveErrors.NotJoined;
        }
        await _store.RemovePlayerAsync(r, playerId, _time.GetUtcNow(), CancellationToken.None);
        await _state.RemovePlayerAsync(r, playerId);
        await _state.Db.PublishAsync(_state.Events, $"removed {r} {playerId}");
        _lobbyDirty[r] = 0;
        return null;
    }

    // ---- Players ---------------------------------------------------------------------------------------------------

    public static string? NormalizeNickname(string? raw, out string key)
    {
        var n = string.Join(' ', VietnameseText.Nfc(raw ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        key = n.ToLower(CultureInfo.GetCultureInfo("vi-VN"));
        return n.Length is >= 1 and <= 30 && !n.Any(char.IsControl) ? n : null;
    }

    public async Task<JoinResult> JoinAsync(JoinRequest request, long? participantId, Func<LiveSeat, Task> seated)
    {
        var pin = (request.Pin ?? "").Trim();
        var roundValue = pin.Length == 6 ? await _state.Db.HashGetAsync(_state.Pins, pin) : RedisValue.Null;
        if (roundValue.IsNullOrEmpty)
        {
            return Refuse(LiveErrors.NoSuchRound, "Không có vòng thi nào đang mở với mã PIN này. Kiểm tra 6 chữ số trên màn hình của người dẫn.");
        }
        var r = (long)roundValue;
        var def = await RoundAsync(r);
        var st = await _state.ReadAsync(r);
        if (def is null || st.Phase == LivePhases.Draft)
        {
            return Refuse(LiveErrors.NoSuchRound, "Không có vòng thi nào đang mở với mã PIN này.");
        }
        if (st.Phase == LivePhases.Ended)
        {
            return Refuse(LiveErrors.RoundEnded, "Vòng thi này đã kết thúc.");
        }
        if (def.RequireIdentity && participantId is null)
        {
            return Refuse(LiveErrors.IdentityRequired, "Người dẫn yêu cầu đăng nhập tài khoản dự thi trước khi vào phòng. Hãy đăng nhập rồi nhập lại mã PIN.");
        }
        LivePlayerRow? player = null;
        if (participantId is long pid)
        {
            player = await _store.PlayerAsync(r, null, pid, CancellationToken.None);
        }
        if (player is null)
        {
            if (st.Locked)
            {
                return Refuse(LiveErrors.RoomLocked, "Phòng đã khóa, không nhận thêm người chơi.");
            }
            string? nickname;
            string key;
            int? unitId = def.UnitMode ? request.UnitId : null;
            if (participantId is long id && (def.RequireIdentity || string.IsNullOrWhiteSpace(request.Nickname)))
            {
                var person = await _store.ParticipantAsync(id, CancellationToken.None);
                nickname = NormalizeNickname(person?.FullName, out key);
                unitId = def.UnitMode ? person?.UnitId : null;
            }
            else
            {
                nickname = NormalizeNickname(request.Nickname, out key);
                if (nickname is null)
                {
                    return Refuse(LiveErrors.NicknameInvalid, "Tên hiển thị cần từ 1 đến 30 ký tự.");
                }
            }
            if (nickname is null)
            {
                return Refuse(LiveErrors.NicknameInvalid, "Tên hiển thị cần từ 1 đến 30 ký tự.");
            }
            string? unitName = null;
            if (def.UnitMode)
            {
                unitName = unitId is int u ? await _store.UnitNameAsync(u, CancellationToken.None) : null;
                if (unitName is null)
                {
                    return Refuse(LiveErrors.UnitRequired, "Vòng thi tính điểm theo đơn vị: hãy chọn đơn vị của bạn trong danh sách.");
                }
            }
            try
            {
                player = await _store.AddPlayerAsync(r, nickname, key, unitId, participantId, _time.GetUtcNow(), CancellationToken.None);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                if (participantId is null)
                {
                    return Refuse(LiveErrors.NicknameTaken, $"Tên “{nickname}” đã có người dùng trong phòng. Hãy chọn tên khác.");
                }
                player = await _store.PlayerAsync(r, null, participantId, CancellationToken.None);
            }
            await _state.AddPlayerAsync(r, player!.Id, player.Nickname, player.UnitId, player.UnitName);
            _lobbyDirty[r] = 0;
        }
        if (player!.RemovedAt is not null)
        {
            return Refuse(LiveErrors.Removed, "Người dẫn đã mời bạn rời phòng này.");
        }
        return await SeatAsync(player, seated);
    }

    public async Task<JoinResult> RejoinAsync(RejoinRequest request, Func<LiveSeat, Task> seated)
    {
        long r, pid;
        try
        {
            var parts = _tokens.Unprotect(request.Token ?? "").Split(':');
            r = long.Parse(parts[0], CultureInfo.InvariantCulture);
            pid = long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return Refuse(LiveErrors.NoSuchRound, "Phiên chơi không còn hợp lệ. Hãy nhập lại mã PIN.");
        }
        var player = await _store.PlayerAsync(r, pid, null, CancellationToken.None);
        if (player is null)
        {
            return Refuse(LiveErrors.NoSuchRound, "Phiên chơi không còn hợp lệ. Hãy nhập lại mã PIN.");
        }
        if (player.RemovedAt is not null)
        {
            return Refuse(LiveErrors.Removed, "Người dẫn đã mời bạn rời phòng này.");
        }
        return await SeatAsync(player, seated);
    }

    private async Task<JoinResult> SeatAsync(LivePlayerRow player, Func<LiveSeat, Task> seated)
    {
        var seat = new LiveSeat(player.RoundId, player.Id, player.Nickname, player.UnitId);
        // Seated (local registry and round group) before the state is read: a question opening in between reaches the
        // player as a message, and the state read afterwards shows it too; nothing falls between the two.
        await seated(seat);
        var token = _tokens.Protect(string.Create(CultureInfo.InvariantCulture, $"{player.RoundId}:{player.Id}"));
        return new JoinResult(null, null, player.RoundId, player.Id, player.Nickname, token, await PlayerStateAsync(seat));
    }

    private static JoinResult Refuse(string error, string message) => new(error, message, 0, 0, null, null, null);

    public async Task<AnswerAck> AnswerAsync(LiveSeat seat, AnswerRequest request)
    {
        var arrived = Stopwatch.GetTimestamp();
        var def = (await RoundAsync(seat.RoundId))!;
        var now = _time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        AnswerAck No(string error, string message) => new(error, message, request.Question, 0, nowMs);
        if (request.Question < 1 || request.Question > def.Questions.Count)
        {
            return No(LiveErrors.QuestionNotOpen, "Câu hỏi này không đang mở.");
        }
        var q = def.Questions[request.Question - 1];
        if (request.Option < 0 || request.Option >= q.Options.Count)
        {
            return No(LiveErrors.OptionUnknown, "Phương án đã chọn không có trong câu hỏi.");
        }
        (long Code, long OpenedAtMs) taken;
        try
        {
            taken = await _state.AcceptAsync(seat.RoundId, request.Question, seat.PlayerId, request.Option, nowMs, _options.GraceMilliseconds);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            _logger.LogWarning("Redis unreachable ({Error}): live answer taken on the PostgreSQL path", e.Message);
            taken = (LiveState.StateMissing, 0);
        }
        if (taken.Code == LiveState.StateMissing)
        {
            _restoreWanted = true;
            return await AnswerOnRecordAsync(def, seat, request, now, arrived);
        }
        // Redis having the player's mark is not proof of an answer: a node that stopped between its check and its
        // commit leaves a mark with nothing stored (fault test, CI 2026-12-05). So a second answer goes to PostgreSQL
        // too, whose unique key keeps the first one stored: it is refused there when an answer is stored or in flight,
        // and taken when nothing is.
        var again = taken.Code == LiveState.Duplicate;
        if (!again && Refusal(taken.Code) is { } refused)
        {
            return No(refused.Error, refused.Message);
        }
        var row = Row(def, seat, request, now, taken.OpenedAtMs);
        switch (await _writer.WriteAsync(row))
        {
            case LiveWrite.Failed:
                if (!again)
                {
                    await _state.ForgetAnswerAsync(seat.RoundId, request.Question, seat.PlayerId);
                }
                return No(LiveErrors.Unavailable, UnavailableMessage);
            case LiveWrite.AlreadyStored:
                // Stored before: a second press, or an answer taken on the PostgreSQL path while Redis was away.
                return No(LiveErrors.AlreadyAnswered, AlreadyAnsweredMessage);
            default:
                break;
        }
        if (again)
        {
            _logger.LogInformation("Live answer of player {Player} to question {Number} of round {Round} stored on a second try: the first never reached PostgreSQL",
                seat.PlayerId, request.Question, seat.RoundId);
            try
            {
                await _state.RecordAnswerAsync(seat.RoundId, request.Question, seat.PlayerId, request.Option);
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException)
            {
                // Stored is what counts; the mark only shows the player's choice again on rejoin.
                _logger.LogWarning("Redis unreachable ({Error}): the choice shown on rejoin may be the lost first one", e.Message);
            }
        }
        Telemetry.AnswersAcked.Add(1, Telemetry.LiveKind);
        Telemetry.AnswerAckDuration.Record(Stopwatch.GetElapsedTime(arrived).TotalMilliseconds, Telemetry.LiveKind);
        return new AnswerAck(null, null, request.Question, row.ElapsedMs, NowMs);
    }

    /// <summary>The answer as stored, on either path: response time from the question's clock, correctness, points.</summary>
    private static LiveAnswerRow Row(LiveRoundDef def, LiveSeat seat, AnswerRequest request, DateTimeOffset now, long openedAtMs)
    {
        var elapsed = (int)Math.Clamp(now.ToUnixTimeMilliseconds() - openedAtMs, 0, def.TimeLimitMs);
        var correct = request.Option == def.Questions[request.Question - 1].CorrectOption;
        return new LiveAnswerRow(seat.RoundId, request.Question, seat.PlayerId, request.Option, now, elapsed, correct,
            Scoring.LivePoints(correct, def.Points, elapsed, def.TimeLimitMs));
    }

    /// <summary>What a player is told for a refusal code of <see cref="LiveState"/> (either answer path); null for an accepted answer.</summary>
    private static (string Error, string Message)? Refusal(long code) => code switch
    {
        LiveState.NotOpen => (LiveErrors.QuestionNotOpen, "Câu hỏi này đã đóng hoặc chưa mở."),
        LiveState.TooLate => (LiveErrors.TooLate, "Đã hết giờ trả lời câu này."),
        LiveState.Duplicate => (LiveErrors.AlreadyAnswered, AlreadyAnsweredMessage),
        LiveState.IsRemoved => (LiveErrors.Removed, "Người dẫn đã mời bạn rời phòng này."),
        LiveState.IsPaused => (LiveErrors.QuestionNotOpen, "Câu hỏi đang tạm dừng, chờ người dẫn tiếp tục."),
        _ => null,
    };

    private const string UnavailableMessage = "Chưa ghi nhận được câu trả lời do sự cố máy chủ. Hãy bấm chọn lại.";
    private const string AlreadyAnsweredMessage = "Bạn đã trả lời câu này; mỗi câu chỉ trả lời một lần.";

    /// <summary>
    /// The answer path without Redis: the checks and the write in one PostgreSQL transaction (slower than the group
    /// commit, but an outage of the cache must not cost the hall its answers). The close reads them from there too.
    /// </summary>
    private async Task<AnswerAck> AnswerOnRecordAsync(LiveRoundDef def, LiveSeat seat, AnswerRequest request, DateTimeOffset now, long arrived)
    {
        AnswerAck No(string error, string message) => new(error, message, request.Question, 0, now.ToUnixTimeMilliseconds());
        (long Code, LiveAnswerRow? Row) taken;
        try
        {
            taken = await _store.AcceptAsync(def, request.Question, seat.PlayerId, now, _options.GraceMilliseconds,
                openedAtMs => Row(def, seat, request, now, openedAtMs), CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            _logger.LogError(e, "Live answer could not be stored while Redis is away");
            return No(LiveErrors.Unavailable, UnavailableMessage);
        }
        if (Refusal(taken.Code) is { } refused)
        {
            return No(refused.Error, refused.Message);
        }
        Telemetry.AnswersAcked.Add(1, Telemetry.LiveKind);
        Telemetry.AnswerAckDuration.Record(Stopwatch.GetElapsedTime(arrived).TotalMilliseconds, Telemetry.LiveKind);
        return new AnswerAck(null, null, request.Question, taken.Row!.ElapsedMs, now.ToUnixTimeMilliseconds());
    }

    private async Task OnCommittedAsync(IReadOnlyCollection<(long Round, int Number)> touched)
    {
        foreach (var (r, n) in touched)
        {
            _progressDirty[r] = 0;
            var st = await _state.ReadAsync(r);
            if (st.Phase == LivePhases.Question && st.Question == n && st.Active > 0
                && await _state.Db.HashLengthAsync(_state.Answers(r, n)) >= st.Active)
            {
                // Everyone answered: close now instead of making the hall wait for the clock.
                await _state.DueNowAsync(r, n, NowMs);
                _ = Task.Run(() => CloseAsync(r, n, voided: false));
            }
        }
    }

    // ---- Close and end ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Closes question <paramref name="n"/> exactly once across nodes (a lease; a node that dies mid-close leaves the
    /// question due, and another node finishes it). All writes are absolute values, so finishing twice changes nothing.
    /// </summary>
    public async Task CloseAsync(long r, int n, bool voided)
    {
        if (!await _state.TakeLeaseAsync(r, n, CloseLease))
        {
            return;
        }
        try
        {
            var begin = await _state.BeginCloseAsync(r, n, voided);
            if (begin == 0)
            {
                await _state.Db.SortedSetRemoveAsync(_state.Deadlines, $"{r}:{n}");
                return;
            }
            voided = voided || await _state.IsVoidedAsync(r, n);
            await CloseCoreAsync(r, n, voided);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Closing question {Number} of live round {Round} failed; it stays due and is retried", n, r);
        }
        finally
        {
            await _state.ReleaseLeaseAsync(r, n);
        }
    }

    private sealed record Ranked(long PlayerId, string Nickname, int? UnitId, string? UnitName, LiveTotals Totals, int Rank);

    private async Task CloseCoreAsync(long r, int n, bool voided)
    {
        var began = Stopwatch.GetTimestamp();
        var mark = began;
        void Phase(string phase)
        {
            var now = Stopwatch.GetTimestamp();
            Telemetry.LiveCloseDuration.Record(Stopwatch.GetElapsedTime(mark, now).TotalMilliseconds, new KeyValuePair<string, object?>("phase", phase));
            mark = now;
        }
        var def = (await RoundAsync(r))!;
        var q = def.Questions[n - 1];
        var db = _state.Db;
        // The PostgreSQL answer path (used while Redis is away) stops first; it may have answers Redis never saw.
        await _store.StopAnswersAsync(r, n, _time.GetUtcNow(), CancellationToken.None);
        // Answers accepted on any node just before the close may still be in their group commit: wait until PostgreSQL
        // has as many as Redis accepted (a failed commit removes its entries from Redis, so this converges).
        IReadOnlyList<LiveStore.StoredAnswer> answers;
        var waitUntil = DateTime.UtcNow.AddSeconds(3);
        while (true)
        {
            var accepted = await db.HashLengthAsync(_state.Answers(r, n));
            answers = await _store.AnswersAsync(r, n, CancellationToken.None);
            if (answers.Count >= accepted || DateTime.UtcNow > waitUntil)
            {
                break;
            }
            await Task.Delay(20);
        }
        var (players, before) = await PlayersAsync(r);
        Phase("collect");
        var byPlayer = answers.ToDictionary(a => a.PlayerId);
        var after = players.ToDictionary(p => p.Key, p =>
        {
            var a = byPlayer.GetValueOrDefault(p.Key);
            return Scoring.Apply(before.GetValueOrDefault(p.Key, LiveTotals.Zero), a is null ? null : new LiveAnswerScore(a.Correct, a.Points), def.Points, def.StreakBonus, voided);
        });
        var ranked = Rank(players, after);
        var units = UnitRanks(def, ranked);
        var board = Board(r, n, ranked, units);
        Phase("rank");

        await _store.SaveCloseAsync(r, n, voided, _time.GetUtcNow(), [.. ranked.Select(p => new LiveStore.PlayerTotalsRow(
            p.PlayerId, p.Totals.Points, p.Totals.Streak, p.Totals.CorrectCount, p.Totals.Scored, p.Totals.LastBonus))], CancellationToken.None);

        Phase("save");

        var distribution = q.Options.Select((html, i) => new OptionCount(i, html, i == q.CorrectOption, answers.Count(a => a.Option == i))).ToList();
        var result = new HostQuestionResult(r, n, voided, q.CorrectOption, distribution, answers.Count, ranked.Count, board);
        var outcomes = ranked.Select(p =>
        {
            var a = byPlayer.GetValueOrDefault(p.PlayerId);
            return new HashEntry(p.PlayerId, Text(new PlayerOutcome(n, q.CorrectOption, a?.Option, a?.Correct ?? false, voided, p.Totals.LastGain,
                p.Totals.LastBonus, p.Totals.Points, p.Totals.Streak, def.LeaderboardEachQuestion ? p.Rank : null, ranked.Count)));
        }).ToArray();

        // One MULTI/EXEC per close, absolute values only (ZADD, HSET): a retried close writes the same numbers. A
        // transaction, not a pipeline: the totals written here are the next close's "before", so a node that died between
        // them and the phase below (as a pipeline can leave it) would have the retry count this question twice.
        var tx = db.CreateTransaction();
        var writes = new List<Task>
        {
            tx.HashSetAsync(_state.Scores(r), [.. ranked.Select(p => new HashEntry(p.PlayerId, LiveState.EncodeTotals(p.Totals)))]),
            tx.SortedSetAddAsync(_state.Leaderboard(r), [.. ranked.Select(p => new SortedSetEntry(p.PlayerId, p.Totals.Points))]),
            tx.HashSetAsync(_state.Outcomes(r, n), outcomes),
            tx.KeyExpireAsync(_state.Outcomes(r, n), LiveState.KeyTtl),
            tx.StringSetAsync(_state.Result(r, n), Text(result), LiveState.KeyTtl),
            tx.StringSetAsync(_state.LastBoard(r), Text(board), LiveState.KeyTtl),
            tx.KeyExpireAsync(_state.Leaderboard(r), LiveState.KeyTtl),
            tx.HashSetAsync(_state.State(r), [new("phase", LivePhases.Closed), new("lastClosed", n)]),
            tx.SortedSetRemoveAsync(_state.Deadlines, $"{r}:{n}"),
        };
        if (units.Count > 0)
        {
            writes.Add(tx.SortedSetAddAsync(_state.UnitBoard(r), [.. units.Select(u => new SortedSetEntry(u.UnitId, u.Points))]));
            writes.Add(tx.KeyExpireAsync(_state.UnitBoard(r), LiveState.KeyTtl));
        }
        writes.Add(tx.ExecuteAsync());
        await Task.WhenAll(writes);
        Phase("publish");
        // The room's board first, as one message to the group; then every node sends its phones their own outcomes
        // (one message each), so the last phone's board does not wait behind the whole room's outcomes. A board that
        // cannot be sent does not hold the outcomes back: a phone that missed it gets it with the state on rejoin.
        try
        {
            await _hosts.Clients.Group(HostsGroup(r)).QuestionClosed(result);
            if (def.LeaderboardEachQuestion)
            {
                await _players.Clients.Group(PlayersGroup(r)).Leaderboard(board);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "The board of question {Number} of live round {Round} could not be sent to the room", n, r);
        }
        Phase("send");
        Telemetry.LiveCloseDuration.Record(Stopwatch.GetElapsedTime(began).TotalMilliseconds, new KeyValuePair<string, object?>("phase", "total"));
        await db.PublishAsync(_state.Events, $"closed {r} {n}");
    }

    private async Task<(Dictionary<long, (string Nickname, int? UnitId, string? UnitName)> Players, Dictionary<long, LiveTotals> Totals)> PlayersAsync(long r)
    {
        var db = _state.Db;
        var names = db.HashGetAllAsync(_state.Names(r));
        var removed = db.SetMembersAsync(_state.Removed(r));
        var scores = db.HashGetAllAsync(_state.Scores(r));
        await Task.WhenAll(names, removed, scores);
        var gone = (await removed).Select(v => (long)v).ToHashSet();
        var players = (await names).Where(e => !gone.Contains((long)e.Name)).ToDictionary(e => (long)e.Name, e => LiveState.DecodeName(e.Value));
        var totals = (await scores).ToDictionary(e => (long)e.Name, e => LiveState.DecodeTotals(e.Value));
        return (players, totals);
    }

    /// <summary>Points descending; equal points share a rank (1, 2, 2, 4). The display order among equals is by name.</summary>
    private static List<Ranked> Rank(Dictionary<long, (string Nickname, int? UnitId, string? UnitName)> players, Dictionary<long, LiveTotals> totals)
    {
        var vi = StringComparer.Create(CultureInfo.GetCultureInfo("vi-VN"), ignoreCase: true);
        var ordered = players.Select(p => (p.Key, p.Value, Totals: totals.GetValueOrDefault(p.Key, LiveTotals.Zero)))
            .OrderByDescending(p => p.Totals.Points).ThenBy(p => p.Value.Nickname, vi).ThenBy(p => p.Key).ToList();
        var ranked = new List<Ranked>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i > 0 && ordered[i].Totals.Points == ordered[i - 1].Totals.Points ? ranked[i - 1].Rank : i + 1;
            ranked.Add(new Ranked(ordered[i].Key, ordered[i].Value.Nickname, ordered[i].Value.UnitId, ordered[i].Value.UnitName, ordered[i].Totals, rank));
        }
        return ranked;
    }

    private static List<UnitLeaderboardEntry> UnitRanks(LiveRoundDef def, List<Ranked> ranked)
    {
        if (!def.UnitMode)
        {
            return [];
        }
        var vi = StringComparer.Create(CultureInfo.GetCultureInfo("vi-VN"), ignoreCase: true);
        var units = ranked.Where(p => p.UnitId is not null).GroupBy(p => (p.UnitId!.Value, p.UnitName ?? ""))
            .Select(g => (g.Key.Value, Name: g.Key.Item2, Points: Scoring.UnitScore([.. g.Select(p => p.Totals.Points)]), Count: g.Count()))
            .OrderByDescending(u => u.Points).ThenBy(u => u.Name, vi).ToList();
        var result = new List<UnitLeaderboardEntry>(units.Count);
        for (var i = 0; i < units.Count; i++)
        {
            var rank = i > 0 && units[i].Points == units[i - 1].Points ? result[i - 1].Rank : i + 1;
            result.Add(new UnitLeaderboardEntry(rank, units[i].Value, units[i].Name, units[i].Points, units[i].Count));
        }
        return result;
    }

    private LeaderboardView Board(long r, int n, List<Ranked> ranked, List<UnitLeaderboardEntry> units) => new(r, n, ranked.Count,
        [.. ranked.Take(_options.LeaderboardSize).Select(p => new LeaderboardEntry(p.Rank, p.PlayerId, p.Nickname, p.UnitName, p.Totals.Points, p.Totals.CorrectCount))],
        [.. units.Take(_options.LeaderboardSize)]);

    /// <summary>Ends the round: closes an open question first (it counts), then final ranks, podium, results in PostgreSQL.</summary>
    public async Task FinishAsync(long r)
    {
        var st = await _state.ReadAsync(r);
        if (st.Phase == LivePhases.Ended)
        {
            return;
        }
        if (st.Phase is LivePhases.Question or "closing")
        {
            await CloseAsync(r, st.Question, voided: false);
        }
        var def = (await RoundAsync(r))!;
        var (players, totals) = await PlayersAsync(r);
        var ranked = Rank(players, totals);
        var units = UnitRanks(def, ranked);
        var unitRank = units.ToDictionary(u => u.UnitId, u => u.Rank);
        var podium = new PodiumView(r, [.. ranked.TakeWhile(p => p.Rank <= 3).Select(p => new LeaderboardEntry(p.Rank, p.PlayerId, p.Nickname, p.UnitName, p.Totals.Points, p.Totals.CorrectCount))],
            [.. units.TakeWhile(u => u.Rank <= 3)]);
        await _store.SaveFinalAsync(r, [.. ranked.Select(p => (p.PlayerId, p.Rank))], [.. units.Select(u => (u.UnitId, u.PlayerCount, u.Points, u.Rank))], _time.GetUtcNow(), CancellationToken.None);
        var finals = ranked.Select(p => new HashEntry(p.PlayerId, Text(new PlayerFinal(r, p.PlayerId, p.Rank, ranked.Count, p.Totals.Points, p.Totals.CorrectCount,
            p.Totals.Scored, Scoring.Accuracy(p.Totals.CorrectCount, p.Totals.Scored), p.UnitId is int u && unitRank.TryGetValue(u, out var ur) ? ur : null)))).ToArray();
        var db = _state.Db;
        var batch = db.CreateBatch();
        var writes = new List<Task>
        {
            batch.HashSetAsync(_state.Finals(r), finals),
            batch.KeyExpireAsync(_state.Finals(r), LiveState.KeyTtl),
            batch.StringSetAsync(_state.Podium(r), Text(podium), LiveState.KeyTtl),
            batch.HashSetAsync(_state.State(r), "phase", LivePhases.Ended),
        };
        if (st.Pin is not null)
        {
            writes.Add(batch.HashDeleteAsync(_state.Pins, st.Pin));
        }
        batch.Execute();
        await Task.WhenAll(writes);
        await db.PublishAsync(_state.Events, $"ended {r} 0");
        await _players.Clients.Group(PlayersGroup(r)).Podium(podium);
        await _hosts.Clients.Group(HostsGroup(r)).Podium(podium);
    }

    // ---- Events from any node, served to this node's connections ----------------------------------------------------

    public async Task OnEventAsync(string message)
    {
        var p = message.Split(' ');
        var r = long.Parse(p[1], CultureInfo.InvariantCulture);
        var arg = long.Parse(p[2], CultureInfo.InvariantCulture);
        var local = _connections.Of(r);
        switch (p[0])
        {
            case "opened":
                {
                    var def = (await RoundAsync(r))!;
                    var st = await _state.ReadAsync(r);
                    await SendAllAsync(local, c => _players.Clients.Client(c.ConnectionId).QuestionOpened(QuestionView(def, (int)arg, st, c.PlayerId)));
                    break;
                }
            case "closed":
                {
                    var outcomes = await LocalValuesAsync(_state.Outcomes(r, (int)arg), local);
                    await SendAllAsync(local, c => outcomes.TryGetValue(c.PlayerId, out var o) ? _players.Clients.Client(c.ConnectionId).QuestionClosed(JsonSerializer.Deserialize<PlayerOutcome>(o, Json)!) : Task.CompletedTask);
                    await _hosts.Clients.Group(HostsGroup(r)).State((await HostStateAsync(r, ""))!);
                    break;
                }
            case "ended":
                {
                    var finals = await LocalValuesAsync(_state.Finals(r), local);
                    await SendAllAsync(local, c => finals.TryGetValue(c.PlayerId, out var f) ? _players.Clients.Client(c.ConnectionId).Finished(JsonSerializer.Deserialize<PlayerFinal>(f, Json)!) : Task.CompletedTask);
                    break;
                }
            case "removed":
                foreach (var connection in _connections.OfPlayer(r, arg))
                {
                    await _players.Clients.Client(connection).Removed(new RemovedView(r, "Người dẫn đã mời bạn rời phòng này."));
                    await _players.Groups.RemoveFromGroupAsync(connection, PlayersGroup(r));
                    _connections.Remove(connection);
                }
                break;
            default:
                break;
        }
    }

    private async Task<Dictionary<long, string>> LocalValuesAsync(RedisKey hash, IReadOnlyList<(string ConnectionId, long PlayerId)> local)
    {
        if (local.Count == 0)
        {
            return [];
        }
        var ids = local.Select(c => c.PlayerId).Distinct().ToArray();
        var values = await _state.Db.HashGetAsync(hash, [.. ids.Select(i => (RedisValue)i)]);
        return ids.Zip(values).Where(x => !x.Second.IsNullOrEmpty).ToDictionary(x => x.First, x => x.Second.ToString());
    }

    private async Task SendAllAsync(IReadOnlyList<(string ConnectionId, long PlayerId)> local, Func<(string ConnectionId, long PlayerId), Task> send)
    {
        foreach (var chunk in local.Chunk(500))
        {
            try
            {
                await Task.WhenAll(chunk.Select(send));
            }
            catch (Exception e)
            {
                // A connection that went away mid-send rejoins and resyncs; the others got theirs.
                _logger.LogDebug(e, "A live message could not be written to some connections");
            }
        }
    }

    // ---- Tick: due closes and coalesced host updates ---------------------------------------------------------------

    public async Task TickAsync()
    {
        await RestoreIfEmptiedAsync();
        foreach (var (r, n) in await _state.DueAsync(NowMs))
        {
            await CloseAsync(r, n, voided: false);
        }
        foreach (var r in _lobbyDirty.Keys)
        {
            _lobbyDirty.TryRemove(r, out _);
            await _hosts.Clients.Group(HostsGroup(r)).Lobby(await LobbyAsync(r));
        }
        foreach (var r in _progressDirty.Keys)
        {
            _progressDirty.TryRemove(r, out _);
            var st = await _state.ReadAsync(r);
            if (st.Question > 0)
            {
                var answered = (int)await _state.Db.HashLengthAsync(_state.Answers(r, st.Question));
                await _hosts.Clients.Group(HostsGroup(r)).AnswerProgress(new AnswerProgressView(r, st.Question, answered, st.Active));
            }
        }
    }

    private volatile bool _restoreWanted = true;
    private long _restoreCheckedAt;

    /// <summary>
    /// Redis is a cache of the live rounds: after it restarts empty, every running round's keys are put back from
    /// PostgreSQL (one node at a time, under a lease) and the question that was open closes on its clock, or at once
    /// if its deadline passed meanwhile. Checked about once a second, and at once when an answer found a round missing.
    /// </summary>
    private async Task RestoreIfEmptiedAsync()
    {
        var now = Environment.TickCount64;
        if (!_restoreWanted && now - _restoreCheckedAt < 1000)
        {
            return;
        }
        _restoreCheckedAt = now;
        _restoreWanted = false;
        var db = _state.Db;
        if (await db.KeyExistsAsync(_state.Restored) || !await db.StringSetAsync(_state.RestoreLease, Environment.MachineName, TimeSpan.FromSeconds(30), When.NotExists))
        {
            return;
        }
        try
        {
            var restored = 0;
            foreach (var r in await _store.RunningAsync(CancellationToken.None))
            {
                if (await _store.SnapshotAsync(r, CancellationToken.None) is { } snapshot && await _state.RestoreAsync(snapshot, _options.GraceMilliseconds))
                {
                    restored++;
                    _lobbyDirty[r] = 0;
                }
            }
            await db.StringSetAsync(_state.Restored, NowMs);
            if (restored > 0)
            {
                _logger.LogWarning("Redis held no state for {Count} running live rounds: restored from PostgreSQL", restored);
            }
        }
        catch
        {
            _restoreWanted = true;
            throw;
        }
        finally
        {
            await db.KeyDeleteAsync(_state.RestoreLease);
        }
    }

    /// <summary>The next tick sends the lobby to the round's host connections (a console that just opened needs it).</summary>
    public void LobbyChanged(long r) => _lobbyDirty[r] = 0;

    public async Task<LobbyView> LobbyAsync(long r)
    {
        var st = await _state.ReadAsync(r);
        var removed = (await _state.Db.SetMembersAsync(_state.Removed(r))).Select(v => v.ToString()).ToHashSet(StringComparer.Ordinal);
        var recent = (await _state.Db.ListRangeAsync(_state.Recent(r), 0, 49)).Select(v => v.ToString().Split('\t', 2))
            .Where(p => !removed.Contains(p[0]))
            .Select(p => (Id: long.Parse(p[0], CultureInfo.InvariantCulture), Name: LiveState.DecodeName(p[1])))
            .Select(p => new LobbyPlayer(p.Id, p.Name.Nickname, p.Name.UnitName)).ToList();
        return new LobbyView(r, st.Active, recent, st.Locked);
    }
}
