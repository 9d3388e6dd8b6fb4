using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Web.Features.LiveRounds;

/// <summary>The players' hub. Thin: who may call what is decided in <see cref="LiveHubFilter"/>, the rules in <see cref="LiveEngine"/>.</summary>
public sealed class LivePlayerHub(LiveEngine engine, LiveConnections connections) : Hub<ILivePlayerClient>
{
    public Task<JoinResult> Join(JoinRequest request) => engine.JoinAsync(request, ParticipantAccounts.IdOf(Context.User!), SeatAsync);

    public Task<JoinResult> Rejoin(RejoinRequest request) => engine.RejoinAsync(request, SeatAsync);

    public Task<AnswerAck> Answer(AnswerRequest request) => engine.AnswerAsync(LiveHubFilter.SeatOf(Context)!, request);

    public Task<PlayerState> Resync() => engine.PlayerStateAsync(LiveHubFilter.SeatOf(Context)!);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private async Task SeatAsync(LiveSeat seat)
    {
        if (LiveHubFilter.SeatOf(Context) is { } previous && previous.RoundId != seat.RoundId)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveEngine.PlayersGroup(previous.RoundId));
        }
        Context.Items[LiveConnections.SeatKey] = seat;
        connections.Add(Context.ConnectionId, seat.RoundId, seat.PlayerId);
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveEngine.PlayersGroup(seat.RoundId));
    }
}

/// <summary>The host console's and projector's hub; signed-in organizers only, and only for their own rounds (the filter).</summary>
[Authorize(Policy = Features.Organizers.OrganizerPolicies.LiveRounds)]
public sealed class LiveHostHub(LiveEngine engine) : Hub<ILiveHostClient>
{
    private string BaseUrl
    {
        get
        {
            var request = Context.GetHttpContext()?.Request;
            return request is null ? "" : $"{request.Scheme}://{request.Host}";
        }
    }

    public async Task<HostState?> Watch(long roundId)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveEngine.HostsGroup(roundId));
        engine.LobbyChanged(roundId);
        return await engine.HostStateAsync(roundId, BaseUrl);
    }

    public Task<HostCommandResult> Open(long roundId) =>
        RunAsync(roundId, async () => await engine.OpenAsync(roundId, BaseUrl) is null ? LiveErrors.NoSuchRound : null);

    public Task<HostCommandResult> Start(long roundId) => RunAsync(roundId, () => engine.NextAsync(roundId, fromLobby: true));

    public Task<HostCommandResult> Next(long roundId) => RunAsync(roundId, () => engine.NextAsync(roundId, fromLobby: false));

    public Task<HostCommandResult> Pause(long roundId) => RunAsync(roundId, () => engine.PauseAsync(roundId));

    public Task<HostCommandResult> Resume(long roundId) => RunAsync(roundId, () => engine.ResumeAsync(roundId));

    public Task<HostCommandResult> Skip(long roundId) => RunAsync(roundId, () => engine.SkipAsync(roundId));

    public Task<HostCommandResult> End(long roundId) => RunAsync(roundId, () => engine.EndAsync(roundId));

    public Task<HostCommandResult> RemovePlayer(long roundId, long playerId) => RunAsync(roundId, () => engine.RemovePlayerAsync(roundId, playerId));

    public Task<HostCommandResult> SetLocked(long roundId, bool locked) => RunAsync(roundId, () => engine.SetLockedAsync(roundId, locked));

    private async Task<HostCommandResult> RunAsync(long roundId, Func<Task<string?>> command)
    {
        var error = await command();
        var state = await engine.HostStateAsync(roundId, BaseUrl);
        if (error is null && state is not null)
        {
            await Clients.Group(LiveEngine.HostsGroup(roundId)).State(state);
        }
        return new HostCommandResult(error, error is null ? null : Message(error), state);
    }

    private static string Message(string error) => error switch
    {
        LiveErrors.NoSuchRound => "Không tìm thấy vòng thi.",
        LiveErrors.NotJoined => "Người chơi này không có trong phòng.",
        LiveErrors.InvalidState => "Thao tác này không phù hợp với trạng thái hiện tại của vòng thi (ví dụ: chưa có người chơi, hoặc câu hỏi chưa đóng).",
        _ => "Không thực hiện được thao tác.",
    };
}
