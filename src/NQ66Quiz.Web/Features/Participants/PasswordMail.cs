using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace NQ66Quiz.Web.Features.Participants;

/// <summary>
/// SMTP for password reset links (section <c>Email</c>; env <c>Email__Smtp__Host</c>, <c>Email__Smtp__Port</c>,
/// <c>Email__Smtp__From</c>, <c>Email__PublicBaseUrl</c>, optionally <c>Email__Smtp__User</c>/<c>Password</c>/<c>Security</c>).
/// Without a host, email is off and the forgotten-password page sends people to their unit's organizer.
/// </summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>
    /// The site's public address that links in mails start with (e.g. https://thi.hanoi.gov.vn). Taken from
    /// configuration, never from the request's Host header, so a forged Host cannot send a person's link elsewhere.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }
        if (Smtp.Port is < 1 or > 65535)
        {
            yield return new("Email:Smtp:Port must be 1-65535 (587 for STARTTLS, 465 for TLS, 25 for a local relay).");
        }
        if (!MailboxAddress.TryParse(Smtp.From, out _) || !(Smtp.From ?? "").Contains('@', StringComparison.Ordinal))
        {
            yield return new("Email:Smtp:From must be the sender address, e.g. \"Ban tổ chức cuộc thi <khongtraloi@hanoi.gov.vn>\" (env Email__Smtp__From).");
        }
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            yield return new("Email:PublicBaseUrl must be the site's public address, e.g. https://thi.hanoi.gov.vn (env Email__PublicBaseUrl): "
                + "links in password reset mails start with it.");
        }
        if (!Enum.TryParse<SecureSocketOptions>(Smtp.Security, ignoreCase: true, out _))
        {
            yield return new("Email:Smtp:Security must be one of Auto, None, StartTls, StartTlsWhenAvailable, SslOnConnect.");
        }
    }
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? From { get; set; }
    public string? User { get; set; }
    public string? Password { get; set; }

    /// <summary>MailKit's SecureSocketOptions by name; Auto takes TLS on 465 and STARTTLS when the server offers it.</summary>
    public string Security { get; set; } = nameof(SecureSocketOptions.Auto);
}

/// <summary>
/// Queues reset mails and sends them from the background (<see cref="PasswordMailSender"/>), so the request that asked
/// answers at once and in the same time whether or not a mail goes out.
/// </summary>
public sealed class PasswordMail(IOptions<EmailOptions> options, ILogger<PasswordMail> logger)
{
    private readonly Channel<MimeMessage> _queue = Channel.CreateBounded<MimeMessage>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    public ChannelReader<MimeMessage> Queue => _queue.Reader;

    public void QueueResetLink(string to, string fullName, string token, DateTimeOffset expiresAt)
    {
        var o = options.Value;
        var link = o.PublicBaseUrl!.TrimEnd('/') + "/dat-lai-mat-khau/" + token;
        var until = VietnamTime.ToLocal(expiresAt).ToString("HH:mm 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);
        var message = new MimeMessage { Subject = "Đặt lại mật khẩu tài khoản dự thi" };
        message.From.Add(MailboxAddress.Parse(o.Smtp.From!));
        message.To.Add(new MailboxAddress(fullName, to));
        var text = $"""
            Xin chào {fullName},

            Có người (có thể là bạn) vừa yêu cầu đặt lại mật khẩu tài khoản dự thi tìm hiểu Nghị quyết số 66-NQ/TW gắn với email này.
            Mở liên kết sau để đặt mật khẩu mới. Liên kết chỉ dùng được một lần, đến {until} (giờ Việt Nam):

            {link}

            Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi.

            Ban tổ chức cuộc thi
            """;
        var html = $"""
            <p>Xin chào {System.Net.WebUtility.HtmlEncode(fullName)},</p>
            <p>Có người (có thể là bạn) vừa yêu cầu đặt lại mật khẩu tài khoản dự thi tìm hiểu Nghị quyết số 66-NQ/TW gắn với email này.
            Liên kết dưới đây chỉ dùng được một lần, đến {until} (giờ Việt Nam).</p>
            <p><a href="{link}">Đặt mật khẩu mới</a></p>
            <p>Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi.</p>
            <p>Ban tổ chức cuộc thi</p>
            """;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        if (!_queue.Writer.TryWrite(message))
        {
            logger.LogError("The password reset mail queue is full; a mail was dropped");
        }
    }
}

/// <summary>Sends queued reset mails over SMTP (MailKit). A failed send is logged (without the link) and not retried: the person can ask again.</summary>
public sealed class PasswordMailSender(PasswordMail mail, IOptions<EmailOptions> options, ILogger<PasswordMailSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var smtp = options.Value.Smtp;
        await foreach (var message in mail.Queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                using var client = new SmtpClient();
                await client.ConnectAsync(smtp.Host!, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.Security, ignoreCase: true), stoppingToken);
                if (!string.IsNullOrEmpty(smtp.User))
                {
                    await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", stoppingToken);
                }
                await client.SendAsync(message, stoppingToken);
                await client.DisconnectAsync(quit: true, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not send a password reset mail through {Host}:{Port}", smtp.Host, smtp.Port);
            }
        }
    }
}
