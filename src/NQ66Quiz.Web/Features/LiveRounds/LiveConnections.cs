using System.Collections.Concurrent;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>A player connection's identity, kept in the hub connection's Items once joined.</summary>
public sealed record LiveSeat(long RoundId, long PlayerId, string Nickname, int? UnitId);

/// <summary>
/// The player connections held by THIS node, per round. Per-player messages (the shuffled question, one's own outcome)
/// are written to local connections only, so they never cross the backplane: each node serves its own players when a
/// round event arrives. Shared state is never kept here; losing a node loses only its connections, which rejoin.
/// </summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, long>> _byRound = new();
    private readonly ConcurrentDictionary<string, long> _roundOf = new(StringComparer.Ordinal);

    public const string SeatKey = "live.seat";

    public void Add(string connectionId, long roundId, long playerId)
    {
        if (_roundOf.TryGetValue(connectionId, out var previous) && previous != roundId)
        {
            Remove(connectionId);
        }
        _byRound.GetOrAdd(roundId, _ => new(StringComparer.Ordinal))[connectionId] = playerId;
        if (_roundOf.TryAdd(connectionId, roundId))
        {
            Telemetry.ConnectedPlayers.Add(1);
        }
        else
        {
            _roundOf[connectionId] = roundId;
        }
    }

    public void Remove(string connectionId)
    {
        if (!_roundOf.TryRemove(connectionId, out var roundId))
        {
            return;
        }
        Telemetry.ConnectedPlayers.Add(-1);
        if (_byRound.TryGetValue(roundId, out var connections))
        {
            connections.TryRemove(connectionId, out _);
        }
    }

    public IReadOnlyList<(string ConnectionId, long PlayerId)> Of(long roundId) =>
        _byRound.TryGetValue(roundId, out var connections) ? [.. connections.Select(c => (c.Key, c.Value))] : [];

    public IReadOnlyList<string> OfPlayer(long roundId, long playerId) =>
        _byRound.TryGetValue(roundId, out var connections) ? [.. connections.Where(c => c.Value == playerId).Select(c => c.Key)] : [];

    public int Count => _roundOf.Count;
}
