using System.Globalization;
using NQ66Quiz.Web.Infrastructure;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>The running state of a round as every node sees it (one Redis hash).</summary>
public sealed record LiveRunState(
    string Phase,
    int Question,
    long OpenedAtMs,
    long ClosesAtMs,
    bool Paused,
    long RemainingMs,
    bool Locked,
    int Active,
    int LastClosed,
    string? Pin,
    string? JoinUrl)
{
    public static readonly LiveRunState Missing = new(LivePhases.Draft, 0, 0, 0, false, 0, false, 0, 0, null, null);
}

/// <summary>
/// Redis keys and atomic steps of live rounds. Whatever every node must agree on lives here: the phase, the open
/// question and its deadline, who answered (a hash per question, HSETNX = once per player), the totals and the
/// leaderboards (sorted sets written with absolute values, so a repeated close cannot count twice).
/// </summary>
public sealed class LiveState(IConnectionMultiplexer redis, RedisKeys keys)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromDays(2);

    public IDatabase Db => redis.GetDatabase();

    public RedisKey State(long r) => keys.For($"live:r:{r}:state");
    public RedisKey Answers(long r, int n) => keys.For($"live:r:{r}:q:{n}:answers");
    public RedisKey Outcomes(long r, int n) => keys.For($"live:r:{r}:q:{n}:outcomes");
    public RedisKey Result(long r, int n) => keys.For($"live:r:{r}:q:{n}:result");
    public RedisKey CloseLease(long r, int n) => keys.For($"live:r:{r}:q:{n}:lease");
    public RedisKey Removed(long r) => keys.For($"live:r:{r}:removed");
    public RedisKey Scores(long r) => keys.For($"live:r:{r}:scores");
    public RedisKey Names(long r) => keys.For($"live:r:{r}:names");
    public RedisKey Recent(long r) => keys.For($"live:r:{r}:recent");
    public RedisKey Leaderboard(long r) => keys.For($"live:r:{r}:lb");
    public RedisKey UnitBoard(long r) => keys.For($"live:r:{r}:units");
    public RedisKey LastBoard(long r) => keys.For($"live:r:{r}:lastboard");
    public RedisKey Finals(long r) => keys.For($"live:r:{r}:final");
    public RedisKey Podium(long r) => keys.For($"live:r:{r}:podium");
    public RedisKey Pins => keys.For("live:pins");

    /// <summary>Set once every running round's keys are in Redis; gone after Redis restarts empty (then rebuilt from PostgreSQL).</summary>
    public RedisKey Restored => keys.For("live:restored");

    public RedisKey RestoreLease => keys.For("live:restore-lease");

    /// <summary>Members "round:number", scored by the time (ms) after which the question must be closed (deadline + grace).</summary>
    public RedisKey Deadlines => keys.For("live:deadlines");

    public RedisChannel Events => RedisChannel.Literal(keys.Prefix + "live:events");

    public string SignalRChannelPrefix => keys.Prefix + "live:signalr";

    public async Task<LiveRunState> ReadAsync(long r)
    {
        var h = (await Db.HashGetAllAsync(State(r))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        if (h.Count == 0)
        {
            return LiveRunState.Missing;
        }
        long L(string k) => h.TryGetValue(k, out var v) && long.TryParse(v, CultureInfo.InvariantCulture, out var x) ? x : 0;
        return new LiveRunState(h.GetValueOrDefault("phase", LivePhases.Draft), (int)L("q"), L("openedAt"), L("closesAt"), L("paused") == 1,
            L("remaining"), L("locked") == 1, (int)L("active"), (int)L("lastClosed"), h.GetValueOrDefault("pin"), h.GetValueOrDefault("joinUrl"));
    }

    public async Task InitLobbyAsync(long r, string pin, string joinUrl)
    {
        var batch = Db.CreateBatch();
        var a = batch.HashSetAsync(State(r), [new("phase", LivePhases.Lobby), new("q", 0), new("pin", pin), new("joinUrl", joinUrl)]);
        var b = batch.HashSetAsync(State(r), "locked", 0, When.NotExists);
        var c = batch.HashSetAsync(State(r), "active", 0, When.NotExists);
        var d = batch.HashSetAsync(Pins, pin, r);
        var e = batch.KeyExpireAsync(State(r), Ttl);
        batch.Execute();
        await Task.WhenAll(a, b, c, d, e);
    }

    // Opens question ARGV[1] if the round is where the caller expects (lobby, or closed after ARGV[2]): a second host
    // console pressing "next" at the same moment gets 0 instead of skipping a question.
    private const string OpenScript = """
        local phase = redis.call('HGET', KEYS[1], 'phase')
        local last = tonumber(redis.call('HGET', KEYS[1], 'lastClosed') or '0')
        local expected = tonumber(ARGV[2])
        if phase == 'lobby' and expected == 0 then
        elseif phase == 'closed' and last == expected then
        else return 0 end
        redis.call('HSET', KEYS[1], 'phase', 'question', 'q', ARGV[1], 'openedAt', ARGV[3], 'closesAt', ARGV[4], 'paused', 0, 'remaining', 0)
        redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
        return 1
        """;

    public async Task<bool> OpenQuestionAsync(long r, int number, int previous, long openedAt, long closesAt, long graceMs) =>
        (int)await Db.ScriptEvaluateAsync(OpenScript, [State(r), Deadlines],
            [number, previous, openedAt, closesAt, closesAt + graceMs, $"{r}:{number}"]) == 1;

    // The hot-path check, atomic on Redis: question open and not paused, not past deadline + grace, player not removed,
    // first answer of this player (HSETNX). Returns {code, openedAt}: code 0 for a first answer, -3 when the player's
    // hash field is set already (openedAt still given: PostgreSQL decides, see LiveEngine.AnswerAsync), other negative
    // codes refuse. A round whose state hash is missing (Redis came back empty, not rebuilt yet) answers -6: the caller
    // takes the answer on the PostgreSQL path instead.
    private const string AcceptScript = """
        local s = redis.call('HMGET', KEYS[1], 'phase', 'q', 'openedAt', 'closesAt', 'paused')
        if not s[1] then return {-6, 0} end
        if redis.call('SISMEMBER', KEYS[3], ARGV[4]) == 1 then return {-4, 0} end
        if s[1] ~= 'question' or s[2] ~= ARGV[1] then return {-1, 0} end
        if s[5] == '1' then return {-5, 0} end
        if tonumber(ARGV[2]) > tonumber(s[4]) + tonumber(ARGV[3]) then return {-2, 0} end
        local opened = tonumber(s[3])
        if redis.call('HSETNX', KEYS[2], ARGV[4], ARGV[5]) == 0 then return {-3, opened} end
        redis.call('EXPIRE', KEYS[2], 172800)
        return {0, opened}
        """;

    public const long NotOpen = -1, TooLate = -2, Duplicate = -3, IsRemoved = -4, IsPaused = -5, StateMissing = -6;

    public async Task<(long Code, long OpenedAtMs)> AcceptAsync(long r, int number, long playerId, int option, long nowMs, long graceMs)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(AcceptScript, [State(r), Answers(r, number), Removed(r)], [number, nowMs, graceMs, playerId, option]))!;
        return ((long)result[0], (long)result[1]);
    }

    /// <summary>Sets the option the player's answer to question <paramref name="number"/> holds in PostgreSQL (the hash shows it on rejoin).</summary>
    public Task RecordAnswerAsync(long r, int number, long playerId, int option) => Db.HashSetAsync(Answers(r, number), playerId, option);

    /// <summary>Undo of <see cref="AcceptAsync"/> when the answer could not be made durable: the player may send it again.</summary>
    public Task ForgetAnswerAsync(long r, int number, long playerId) => Db.HashDeleteAsync(Answers(r, number), playerId);

    private const string PauseScript = """
        local s = redis.call('HMGET', KEYS[1], 'phase', 'q', 'closesAt', 'paused')
        if s[1] ~= 'question' or s[4] == '1' then return -1 end
        local remaining = math.max(0, tonumber(s[3]) - tonumber(ARGV[1]))
        redis.call('HSET', KEYS[1], 'paused', 1, 'remaining', remaining, 'pausedAt', ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[2] .. ':' .. s[2])
        return remaining
        """;

    public async Task<long> PauseAsync(long r, long nowMs) => (long)await Db.ScriptEvaluateAsync(PauseScript, [State(r), Deadlines], [nowMs, r]);

    // The clock continues with what was left; openedAt moves by the pause so t (response time) excludes it.
    private const string ResumeScript = """
        local s = redis.call('HMGET', KEYS[1], 'phase', 'q', 'openedAt', 'paused', 'remaining', 'pausedAt')
        if s[1] ~= 'question' or s[4] ~= '1' then return -1 end
        local now = tonumber(ARGV[1])
        local closesAt = now + tonumber(s[5])
        local openedAt = tonumber(s[3]) + (now - tonumber(s[6]))
        redis.call('HSET', KEYS[1], 'paused', 0, 'remaining', 0, 'closesAt', closesAt, 'openedAt', openedAt)
        redis.call('ZADD', KEYS[2], closesAt + tonumber(ARGV[2]), ARGV[3] .. ':' .. s[2])
        return closesAt
        """;

    public async Task<long> ResumeAsync(long r, long nowMs, long graceMs) =>
        (long)await Db.ScriptEvaluateAsync(ResumeScript, [State(r), Deadlines], [nowMs, graceMs, r]);

    // Stops accepting answers for question ARGV[1]: 1 when this call closed it, 2 when it was closed already (a retry
    // after a node died mid-close), 0 when the round is elsewhere.
    private const string BeginCloseScript = """
        local s = redis.call('HMGET', KEYS[1], 'phase', 'q', 'lastClosed')
        if s[2] ~= ARGV[1] then return 0 end
        if s[1] == 'question' then
            redis.call('HSET', KEYS[1], 'phase', 'closing', 'paused', 0)
            if ARGV[2] == '1' then redis.call('HSET', KEYS[1], 'voided', ARGV[1]) end
            return 1
        end
        if s[1] == 'closing' then return 2 end
        return 0
        """;

    public async Task<int> BeginCloseAsync(long r, int number, bool voided) =>
        (int)await Db.ScriptEvaluateAsync(BeginCloseScript, [State(r)], [number, voided ? "1" : "0"]);

    public async Task<bool> IsVoidedAsync(long r, int number) => (await Db.HashGetAsync(State(r), "voided")) == number;

    public Task<bool> TakeLeaseAsync(long r, int number, TimeSpan lease) => Db.StringSetAsync(CloseLease(r, number), Environment.MachineName, lease, When.NotExists);

    public Task ReleaseLeaseAsync(long r, int number) => Db.KeyDeleteAsync(CloseLease(r, number));

    public async Task<IReadOnlyList<(long Round, int Number)>> DueAsync(long nowMs)
    {
        var due = await Db.SortedSetRangeByScoreAsync(Deadlines, double.NegativeInfinity, nowMs, take: 100);
        return [.. due.Select(m => m.ToString().Split(':')).Select(p => (long.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)))];
    }

    /// <summary>Asks for an early close (everyone answered): the question becomes due now.</summary>
    public Task DueNowAsync(long r, int number, long nowMs) => Db.SortedSetAddAsync(Deadlines, $"{r}:{number}", nowMs, SortedSetWhen.Exists);

    public static string EncodeTotals(LiveTotals t) => string.Create(CultureInfo.InvariantCulture, $"{t.Points}:{t.Streak}:{t.CorrectCount}:{t.Scored}");

    public static LiveTotals DecodeTotals(RedisValue v)
    {
        if (v.IsNullOrEmpty)
        {
            return LiveTotals.Zero;
        }
        var p = v.ToString().Split(':');
        return new LiveTotals(long.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture),
            int.Parse(p[2], CultureInfo.InvariantCulture), int.Parse(p[3], CultureInfo.InvariantCulture), 0, 0);
    }

    /// <summary>"unitId\tunitName\tnickname" (unit parts empty outside unit mode).</summary>
    public static string EncodeName(string nickname, int? unitId, string? unitName) =>
        string.Create(CultureInfo.InvariantCulture, $"{unitId}\t{unitName}\t{nickname}");

    public static (string Nickname, int? UnitId, string? UnitName) DecodeName(RedisValue v)
    {
        var p = v.ToString().Split('\t', 3);
        return p.Length < 3 ? (v.ToString(), null, null)
            : (p[2], int.TryParse(p[0], CultureInfo.InvariantCulture, out var u) ? u : null, p[1].Length == 0 ? null : p[1]);
    }

    public async Task AddPlayerAsync(long r, long playerId, string nickname, int? unitId, string? unitName)
    {
        var name = EncodeName(nickname, unitId, unitName);
        var batch = Db.CreateBatch();
        var added = batch.HashSetAsync(Names(r), playerId, name, When.NotExists);
        var s = batch.HashSetAsync(Scores(r), playerId, EncodeTotals(LiveTotals.Zero), When.NotExists);
        var recent = batch.ListLeftPushAsync(Recent(r), $"{playerId}\t{name}");
        var trim = batch.ListTrimAsync(Recent(r), 0, 49);
        var e1 = batch.KeyExpireAsync(Names(r), Ttl);
        var e2 = batch.KeyExpireAsync(Scores(r), Ttl);
        var e3 = batch.KeyExpireAsync(Recent(r), Ttl);
        batch.Execute();
        await Task.WhenAll(added, s, recent, trim, e1, e2, e3);
        if (await added)
        {
            await Db.HashIncrementAsync(State(r), "active");
        }
    }

    public async Task RemovePlayerAsync(long r, long playerId)
    {
        if (await Db.SetAddAsync(Removed(r), playerId))
        {
            await Db.HashDecrementAsync(State(r), "active");
            await Db.SortedSetRemoveAsync(Leaderboard(r), playerId);
            await Db.KeyExpireAsync(Removed(r), Ttl);
        }
    }

    public Task<bool> IsRemovedAsync(long r, long playerId) => Db.SetContainsAsync(Removed(r), playerId);

    /// <summary>
    /// Puts a running round's keys back from what PostgreSQL holds (after Redis came back empty): players, totals and the
    /// leaderboard as of the last close, the open question's answers, its clock and deadline (due at once when it
    /// passed), the PIN and the lock. One MULTI, written only if the round's state is still missing, so two nodes
    /// restoring at once write it once. Returns false when the state was there already.
    /// </summary>
    public async Task<bool> RestoreAsync(LiveStore.RunSnapshot snap, long graceMs)
    {
        var r = snap.RoundId;
        var q = snap.Question;
        var phase = snap.Phase;
        var number = q?.Number ?? 0;
        var lastClosed = phase == LivePhases.Closed ? number : Math.Max(0, number - 1);
        static long Ms(DateTime t) => new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var tx = Db.CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists(State(r)));
        var writes = new List<Task>();
        foreach (var key in new[] { Names(r), Scores(r), Removed(r), Recent(r), Leaderboard(r) })
        {
            writes.Add(tx.KeyDeleteAsync(key));
        }
        var players = snap.Players;
        if (players.Count > 0)
        {
            writes.Add(tx.HashSetAsync(Names(r), [.. players.Select(p => new HashEntry(p.Id, EncodeName(p.Nickname, p.UnitId, p.UnitName)))]));
            writes.Add(tx.HashSetAsync(Scores(r), [.. players.Select(p => new HashEntry(p.Id, EncodeTotals(new LiveTotals(p.Points, p.Streak, p.CorrectCount, p.ScoredCount, 0, 0))))]));
            writes.Add(tx.ListLeftPushAsync(Recent(r), [.. players.TakeLast(50).Select(p => (RedisValue)$"{p.Id}\t{EncodeName(p.Nickname, p.UnitId, p.UnitName)}")]));
            var kept = players.Where(p => !p.Removed).ToList();
            if (kept.Count > 0 && lastClosed > 0)
            {
                writes.Add(tx.SortedSetAddAsync(Leaderboard(r), [.. kept.Select(p => new SortedSetEntry(p.Id, p.Points))]));
            }
            var removed = players.Where(p => p.Removed).Select(p => (RedisValue)p.Id).ToArray();
            if (removed.Length > 0)
            {
                writes.Add(tx.SetAddAsync(Removed(r), removed));
            }
        }
        var state = new List<HashEntry>
        {
            new("phase", phase == LivePhases.Question && q?.ClosedAt is not null ? "closing" : phase),
            new("q", number),
            new("lastClosed", lastClosed),
            new("locked", snap.Locked ? 1 : 0),
            new("active", players.Count(p => !p.Removed)),
        };
        if (snap.Pin is not null)
        {
            state.Add(new("pin", snap.Pin));
            writes.Add(tx.HashSetAsync(Pins, snap.Pin, r));
        }
        if (q is not null && phase == LivePhases.Question)
        {
            var openedAt = Ms(q.ClockOpenedAt ?? q.OpenedAt);
            var closesAt = q.ClosesAt is { } c ? Ms(c) : openedAt;
            state.Add(new("openedAt", openedAt));
            state.Add(new("closesAt", closesAt));
            state.Add(new("paused", q.PausedRemainingMs is null ? 0 : 1));
            state.Add(new("remaining", q.PausedRemainingMs ?? 0));
            if (q.PausedAt is { } pausedAt)
            {
                state.Add(new("pausedAt", Ms(pausedAt)));
            }
            if (snap.Answers.Count > 0)
            {
                writes.Add(tx.KeyDeleteAsync(Answers(r, number)));
                writes.Add(tx.HashSetAsync(Answers(r, number), [.. snap.Answers.Select(a => new HashEntry(a.PlayerId, a.Option))]));
                writes.Add(tx.KeyExpireAsync(Answers(r, number), Ttl));
            }
            if (q.PausedRemainingMs is null)
            {
                // A close that was under way (or a deadline that passed while Redis was away) is due now.
                writes.Add(tx.SortedSetAddAsync(Deadlines, $"{r}:{number}", q.ClosedAt is not null ? 0 : closesAt + graceMs));
            }
        }
        writes.Add(tx.HashSetAsync(State(r), [.. state]));
        foreach (var key in new[] { State(r), Names(r), Scores(r), Removed(r), Recent(r), Leaderboard(r) })
        {
            writes.Add(tx.KeyExpireAsync(key, Ttl));
        }
        var committed = await tx.ExecuteAsync();
        if (committed)
        {
            await Task.WhenAll(writes);
        }
        return committed;
    }

    public static TimeSpan KeyTtl => Ttl;
}
