using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Pages;

/// <summary>
/// The one error page for browsers: re-executed for an exception, for a status code without a body (404, 403, …),
/// or reached by the sign-in's access-denied redirect. Any method lands here (a failed POST too), so no antiforgery.
/// </summary>
[IgnoreAntiforgeryToken]
[AllowAnonymous]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }
    public string Heading { get; private set; } = "";
    public string Message { get; private set; } = "";
    public string BackUrl { get; private set; } = "/";
    public string BackLabel { get; private set; } = "Về trang chủ";
    public string? Reference { get; private set; }

    public IActionResult OnGet(int? code) => Show(code);

    public IActionResult OnPost(int? code) => Show(code);

    private PageResult Show(int? code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        var exception = HttpContext.Features.Get<IExceptionHandlerFeature>();
        // Reached directly (the access-denied redirect, a typed address): the code in the address is the status.
        Status = reExecuted || exception is not null ? Response.StatusCode : code is >= 400 and <= 599 ? code.Value : 404;
        Response.StatusCode = Status;
        var (heading, message) = Status switch
        {
            401 => ("Bạn cần đăng nhập", "Trang này dành cho người đã đăng nhập. Hãy đăng nhập rồi mở lại trang."),
            403 => ("Bạn không có quyền xem trang này", "Trang này dành cho tài khoản khác (ví dụ ban tổ chức). Nếu bạn nghĩ đây là nhầm lẫn, hãy liên hệ ban tổ chức."),
            404 => ("Không tìm thấy trang", "Địa chỉ này không có hoặc đã được gỡ. Hãy kiểm tra lại đường dẫn, hoặc bắt đầu lại từ trang chủ."),
            410 => ("Đường dẫn đã hết hạn", "Đường dẫn này chỉ dùng được trong một thời gian ngắn và đã hết hạn. Hãy yêu cầu một đường dẫn mới."),
            429 => ("Bạn thao tác quá nhanh", "Hệ thống giới hạn số lần đăng ký, đăng nhập, vào thi và nộp bài trong một phút để chặn phần mềm tự động. Hãy chờ một chút rồi thử lại; những gì đã lưu không bị mất."),
            413 => ("Nội dung gửi lên quá lớn", "Dữ liệu bạn gửi vượt quá giới hạn cho phép nên chưa được đọc. Hãy gửi ít nội dung hơn."),
            >= 500 => ("Hệ thống đang gặp sự cố", "Yêu cầu của bạn chưa xử lý được. Bài thi và các câu trả lời đã lưu không bị mất. Vui lòng thử lại sau ít phút."),
            _ => ("Yêu cầu không hợp lệ", "Yêu cầu này không xử lý được. Hãy quay lại trang trước và thử lại."),
        };
        if (ErrorResponses.MessageOf(HttpContext) is { } own)
        {
            (heading, message) = (own.Title, own.Message);
            (BackUrl, BackLabel) = (own.BackUrl ?? BackUrl, own.BackLabel ?? BackLabel);
        }
        Heading = heading;
        Message = message;
        // Quoted to the hotline, it finds the request in the logs.
        Reference = Status >= 500 ? HttpContext.TraceIdentifier : null;
        return Page();
    }
}
