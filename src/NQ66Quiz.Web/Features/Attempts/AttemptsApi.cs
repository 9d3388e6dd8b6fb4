using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>
/// The signed-in participant's attempts: start (or resume) one in a round, read its paper, save answers and the
/// prediction, submit once, read the result and the history. The answer key appears only in the result.
/// </summary>
public static class AttemptsApi
{
    public static IServiceCollection AddAttempts(this IServiceCollection services)
    {
        services.AddSingleton<AttemptStart>();
        services.AddSingleton<PaperShapes>();
        services.AddSingleton<BankSnapshot>();
        // Answer saves are group-committed: one transaction per batch, each save acknowledged after it.
        services.AddSingleton<AnswerCommitter>();
        services.AddHostedService(sp => sp.GetRequiredService<AnswerCommitter>());
        services.AddSingleton<AttemptAnswers>();
        services.AddSingleton<AttemptSubmit>();
        services.AddSingleton<AttemptQueries>();
        services.AddSingleton<AttemptExpiry>();
        return services;
    }

    public static IEndpointRouteBuilder MapAttempts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Attempts").RequireAuthorization(Platform.ParticipantPolicy);
        group.MapPost("/rounds/{roundId:long}/attempts", StartAsync).RequireRateLimiting(RateLimits.AttemptStart).WithSummary("Vào thi: tạo lượt thi mới, hoặc trả lại lượt đang làm dở.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/attempts", async Task<Ok<IReadOnlyList<AttemptSummary>>> (ClaimsPrincipal user, AttemptQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.HistoryAsync(Me(user), ct))).WithSummary("Lịch sử các lượt thi của tôi.");
        group.MapGet("/attempts/{attemptId:long}", async Task<Results<Ok<AttemptPaper>, ProblemHttpResult>> (long attemptId, ClaimsPrincipal user, AttemptQueries queries, CancellationToken ct) =>
            await queries.PaperAsync(Me(user), attemptId, ct) is { } paper ? TypedResults.Ok(paper) : Problem(Outcome<AttemptPaper>.NotFound()))
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/attempts/{attemptId:long}/answers/{position:int}", async (long attemptId, int position, AnswerChoices body, ClaimsPrincipal user,
            AttemptAnswers answers, CancellationToken ct) => ToHttp(await answers.SaveAsync(Me(user), attemptId, new AnswerRequest(position, body.Choices), ct)))
            .RequireRateLimiting(RateLimits.Answers)
            .WithSummary("Lưu câu trả lời (vị trí phương án trên màn hình, 0 = phương án đầu). Chỉ trả lời sau khi đã ghi vào cơ sở dữ liệu.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/attempts/{attemptId:long}/prediction", async (long attemptId, PredictionRequest body, ClaimsPrincipal user,
            AttemptAnswers answers, CancellationToken ct) => ToHttp(await answers.SavePredictionAsync(Me(user), attemptId, body, ct)))
            .RequireRateLimiting(RateLimits.Answers)
            .WithSummary("Lưu số dự đoán ({\"prediction\": 120}, cùng tên trường như khi nộp bài; null xoá số đã lưu).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/attempts/{attemptId:long}/submit", async (long attemptId, SubmitRequest? body, ClaimsPrincipal user, AttemptSubmit submit, CancellationToken ct) =>
            ToHttp(await submit.SubmitAsync(Me(user), attemptId, body ?? new SubmitRequest(), ct)))
            .RequireRateLimiting(RateLimits.Answers)
            .WithSummary("Nộp bài: chỉ một lần; lần gửi sau trả 409 kèm địa chỉ kết quả.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/attempts/{attemptId:long}/result", ResultAsync)
            .WithSummary("Kết quả lượt thi đã đóng; đáp án và giải thích chỉ khi thiết lập answersShown của cuộc thi cho phép.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record AnswerChoices(int[]? Choices);

    public static async Task<Results<Created<AttemptPaper>, Ok<AttemptPaper>, ProblemHttpResult>> StartAsync(
        long roundId, ClaimsPrincipal user, AttemptStart start, AttemptQueries queries, HttpContext http, CancellationToken ct)
    {
        var origin = AntiCheat.AttemptOrigins.Of(http);
        var outcome = await start.StartAsync(Me(user), roundId, origin, ct);
        if (outcome is not Outcome<StartedAttempt>.Ok { Value: var started })
        {
            return Problem((Outcome<StartedAttempt>.Failed)outcome);
        }
        if (!started.Resumed)
        {
            AntiCheat.AttemptOrigins.Remember(http, origin);
        }
        var paper = started.Paper ?? (await queries.PaperAsync(Me(user), started.AttemptId, ct))!;
        return started.Resumed ? TypedResults.Ok(paper) : TypedResults.Created($"/api/attempts/{paper.Id}", paper);
    }

    public static async Task<Results<Ok<AttemptResult>, ProblemHttpResult>> ResultAsync(long attemptId, ClaimsPrincipal user, AttemptQueries queries, CancellationToken ct)
    {
        if (await queries.ResultAsync(Me(user), attemptId, ct) is { } result)
        {
            return TypedResults.Ok(result);
        }
        var (exists, _) = await queries.StatusAsync(Me(user), attemptId, ct);
        return Problem(exists
            ? Outcome<AttemptResult>.Conflict("Lượt thi chưa nộp bài nên chưa có kết quả; đáp án chỉ hiện sau khi nộp.")
            : Outcome<AttemptResult>.NotFound());
    }

    public static Results<Ok<T>, ProblemHttpResult> ToHttp<T>(Outcome<T> outcome) => outcome switch
    {
        Outcome<T>.Ok ok => TypedResults.Ok(ok.Value),
        Outcome<T>.Failed failed => Problem(failed),
        _ => throw new InvalidOperationException(),
    };

    private static ProblemHttpResult Problem<T>(Outcome<T>.Failed failed) => TypedResults.Problem(title: failed.Message, statusCode: failed.Status,
        extensions: failed.ResultUrl is null ? null : new Dictionary<string, object?>(StringComparer.Ordinal) { ["resultUrl"] = failed.ResultUrl });

    private static long Me(ClaimsPrincipal user) => ParticipantAccounts.Me(user);
}
