using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>
/// Wherever a participant lands, the answer is Vietnamese: browsers get the error page (/loi, with a way back), /api
/// callers a ProblemDetails whose title says what happened and whose detail says what is wrong and where (malformed
/// JSON: line, position, field). Request bodies are capped before they are read: small for participant APIs and pages,
/// larger for the organizer's imports.
/// </summary>
public static class ErrorResponses
{
    /// <summary>Participant APIs and pages: a submission of 60 answers is a few KB.</summary>
    public const long ParticipantBodyLimit = 64 * 1024;

    /// <summary>The organizer console and its APIs: question bank imports (XLSX, Markdown) and unit lists.</summary>
    public const long OrganizerBodyLimit = 16 * 1024 * 1024;

    private const string MessageKey = "nq66.error";

    private const string UnsupportedMediaType = "Gửi nội dung JSON với tiêu đề Content-Type: application/json.";

    /// <summary>What a page tells about a specific error (set by <see cref="ErrorPage"/>, read by /loi).</summary>
    public sealed record ErrorMessage(string Title, string Message, string? BackUrl = null, string? BackLabel = null);

    private static readonly Dictionary<int, string> Titles = new()
    {
        [400] = "Yêu cầu không hợp lệ.",
        [401] = "Bạn cần đăng nhập để làm việc này.",
        [403] = "Tài khoản của bạn không có quyền làm việc này.",
        [404] = "Không tìm thấy nội dung bạn yêu cầu.",
        [405] = "Địa chỉ này không nhận phương thức yêu cầu đó.",
        [409] = "Yêu cầu mâu thuẫn với trạng thái hiện tại.",
        [410] = "Đường dẫn đã hết hạn.",
        [413] = "Nội dung gửi lên quá lớn.",
        [415] = "Nội dung phải gửi dưới dạng JSON (Content-Type: application/json).",
        [429] = "Bạn thao tác quá nhanh; vui lòng thử lại sau ít phút.",
        [500] = "Hệ thống gặp sự cố khi xử lý yêu cầu. Dữ liệu đã lưu của bạn không bị mất; vui lòng thử lại sau ít phút.",
        [503] = "Dịch vụ tạm thời gián đoạn; vui lòng thử lại sau ít phút.",
    };

    // The framework's English titles, replaced by the Vietnamese ones above; a title a handler chose stays.
    private static readonly HashSet<string> EnglishTitles = new(StringComparer.Ordinal)
    {
        "Bad Request", "Unauthorized", "Forbidden", "Not Found", "Method Not Allowed", "Conflict", "Gone", "Payload Too Large",
        "Content Too Large", "Unsupported Media Type", "Too Many Requests", "Internal Server Error", "Service Unavailable",
        "An error occurred while processing your request.", "One or more validation errors occurred.",
    };

    public static string TitleFor(int status) => Titles.GetValueOrDefault(status, Titles[status >= 500 ? 500 : 400]);

    public static IServiceCollection AddErrorResponses(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            var status = c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode;
            if (c.ProblemDetails.Title is null || EnglishTitles.Contains(c.ProblemDetails.Title))
            {
                c.ProblemDetails.Title = TitleFor(status);
            }
            if (c.HttpContext.Items[MessageKey] is ErrorMessage message)
            {
                c.ProblemDetails.Title = message.Title;
                c.ProblemDetails.Detail ??= message.Message;
            }
            if (status == StatusCodes.Status413PayloadTooLarge)
            {
                c.ProblemDetails.Detail ??= TooLarge(c.HttpContext);
            }
            if (status == StatusCodes.Status415UnsupportedMediaType)
            {
                // Minimal APIs answer a form or text body with a bare 415 (no exception to describe).
                c.ProblemDetails.Detail ??= UnsupportedMediaType;
            }
            if (c.Exception is { } e && Describe(e) is { } detail)
            {
                c.ProblemDetails.Detail = detail;
            }
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
        });
        // Minimal APIs then throw on a body they cannot bind instead of answering a bare 400, so the detail can say why.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        return services;
    }

    /// <summary>Exceptions, status codes without a body, and body limits; goes before everything that can fail.</summary>
    public static WebApplication UseErrorResponses(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/loi",
            StatusCodeSelector = StatusOf,
        });
        app.UseWhen(IsApi, api => api.UseStatusCodePages());
        app.UseWhen(c => !IsApi(c), pages => pages.UseStatusCodePagesWithReExecute("/loi/{0}"));
        app.Use(LimitBodyAsync);
        // Routing after the handlers above, so that a request they re-execute to /loi is routed again (the implicit
        // routing WebApplication adds would sit before them and keep the original, unmatched endpoint).
        app.UseRouting();
        return app;
    }

    private static int StatusOf(Exception e) => e is BadHttpRequestException b ? b.StatusCode : StatusCodes.Status500InternalServerError;

    /// <summary>/api callers get ProblemDetails; anything else falls through to the error page (/loi).</summary>
    private sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            // The middleware has already pointed the request at /loi; the path it came for is in the feature.
            var path = context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path;
            if (!path.StartsWith("/api/", StringComparison.Ordinal) && path != "/api")
            {
                return false;
            }
            context.Response.StatusCode = StatusOf(exception);
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception });
        }
    }

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    public static long BodyLimit(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api/organizer") || context.Request.Path.StartsWithSegments("/to-chuc")
            ? OrganizerBodyLimit : ParticipantBodyLimit;

    /// <summary>A page's own message for an error status (the error page shows it with the back link).</summary>
    public static IActionResult ErrorPage(this PageModel page, int status, string title, string message, string? backUrl = null, string? backLabel = null)
    {
        page.HttpContext.Items[MessageKey] = new ErrorMessage(title, message, backUrl, backLabel);
        return new StatusCodeResult(status);
    }

    public static ErrorMessage? MessageOf(HttpContext context) => context.Items[MessageKey] as ErrorMessage;

    private static async Task LimitBodyAsync(HttpContext context, RequestDelegate next)
    {
        var limit = BodyLimit(context);
        // A declared length over the limit is refused before a byte of the body is read.
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        // A chunked body is cut by the server when it passes the limit (BadHttpRequestException 413, answered above).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        await next(context);
    }

    private static string TooLarge(HttpContext context) =>
        $"Giới hạn cho địa chỉ này là {BodyLimit(context) / 1024:N0} KB; nội dung vượt quá nên không được đọc. "
        + (BodyLimit(context) == OrganizerBodyLimit ? "Chia tệp nhập thành nhiều tệp nhỏ hơn." : "Kiểm tra lại dữ liệu gửi lên.");

    /// <summary>What was wrong with a request, in Vietnamese, from the exception the framework threw.</summary>
    public static string? Describe(Exception e) => e switch
    {
        BadHttpRequestException { InnerException: JsonException json } => Json(json),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => null,
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => UnsupportedMediaType,
        BadHttpRequestException b when b.Message.Contains("no body was provided", StringComparison.Ordinal)
            => "Yêu cầu thiếu nội dung: gửi một đối tượng JSON như tài liệu API (/openapi/v1.json) mô tả.",
        BadHttpRequestException b when b.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal)
            || b.Message.StartsWith("Required parameter", StringComparison.Ordinal)
            => "Tham số trên địa chỉ hoặc chuỗi truy vấn không đúng kiểu hoặc bị thiếu: " + Quoted(b.Message) + ".",
        BadHttpRequestException => "Yêu cầu không đọc được; kiểm tra địa chỉ, tham số và nội dung gửi lên.",
        _ => null,
    };

    private static string Json(JsonException json)
    {
        var where = $"dòng {(json.LineNumber ?? 0) + 1}, vị trí {(json.BytePositionInLine ?? 0) + 1}";
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "" : $", trường {json.Path}";
        var missing = System.Text.RegularExpressions.Regex.Match(json.Message, "missing required properties including: (.+?)\\.?$");
        if (missing.Success)
        {
            return $"Thiếu trường bắt buộc {missing.Groups[1].Value.Trim()} trong nội dung JSON.";
        }
        var what = json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? "giá trị không đúng kiểu (ví dụ chữ ở chỗ cần số, hoặc số ở chỗ cần danh sách)"
            : json.Message.Contains("end of data", StringComparison.OrdinalIgnoreCase) || json.Message.Contains("incomplete", StringComparison.OrdinalIgnoreCase)
                ? "nội dung JSON bị cụt (thiếu dấu đóng } hoặc ])"
                : "sai cú pháp JSON";
        return $"Nội dung JSON không hợp lệ ở {where}{field}: {what}.";
    }

    // The parameter name the framework quoted ("id", "roundId"), without its English sentence.
    private static string Quoted(string message)
    {
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        return end > start ? message[start..(end + 1)] : "tham số";
    }
}
