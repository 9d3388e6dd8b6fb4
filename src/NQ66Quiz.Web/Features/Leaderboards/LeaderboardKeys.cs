using NQ66Quiz.Web.Infrastructure;
using StackExchange.Redis;

namespace NQ66Quiz.Web.Features.Leaderboards;

/// <summary>
/// The Redis keys of the leaderboards. "{r:ID}" is a Redis Cluster hash tag: all keys of one round share a slot, so
/// the rebuild's MULTI/RENAME swap stays legal when several app nodes share a clustered Redis.
/// </summary>
public sealed class LeaderboardKeys(RedisKeys keys)
{
    public RedisKey Live(long roundId) => keys.For($"lb:{{r:{roundId}}}:live");

    public RedisKey LiveUnit(long roundId, int unitId) => keys.For($"lb:{{r:{roundId}}}:live:u:{unitId}");

    public RedisKey Final(long roundId) => keys.For($"lb:{{r:{roundId}}}:final");

    public RedisKey FinalUnit(long roundId, int unitId) => keys.For($"lb:{{r:{roundId}}}:final:u:{unitId}");

    /// <summary>The unit ids that have a board in the round, so a rebuild knows which keys to replace or drop.</summary>
    public RedisKey Units(long roundId) => keys.For($"lb:{{r:{roundId}}}:units");

    /// <summary>A key being built by a rebuild, in the same slot as the key it will replace.</summary>
    public RedisKey Staging(long roundId, string build, string name) => keys.For($"lb:{{r:{roundId}}}:build:{build}:{name}");

    public string Pattern(long roundId) => keys.Prefix + $"lb:{{r:{roundId}}}:*";
}
