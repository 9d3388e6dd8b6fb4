using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>One token bucket: <see cref="Burst"/> requests at once, then <see cref="PerMinute"/> a minute.</summary>
public sealed class BucketOptions
{
    [Range(1, 1_000_000, ErrorMessage = "RateLimits:<policy>:Burst must be between 1 and 1000000.")]
    public int Burst { get; set; }

    [Range(1, 1_000_000, ErrorMessage = "RateLimits:<policy>:PerMinute must be between 1 and 1000000.")]
    public int PerMinute { get; set; }
}

/// <summary>
/// How fast a script may register, sign in, start attempts and answer (README, "Bảo mật"). Registration and sign-in
/// count per source address (a school's computer room behind one address registers a class at once, hence the
/// bursts); attempts and answers count per signed-in participant, so many people behind one address never share a
/// budget. The load harness raises them (<c>RateLimits__Answers__PerMinute</c>, …).
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    [Required] public BucketOptions Registration { get; set; } = new() { Burst = 40, PerMinute = 20 };
    [Required] public BucketOptions SignIn { get; set; } = new() { Burst = 60, PerMinute = 30 };
    [Required] public BucketOptions AttemptStart { get; set; } = new() { Burst = 20, PerMinute = 10 };

    /// <summary>Answer saves, the prediction and submitting: a 60-question paper answered twice over fits in the burst.</summary>
    [Required] public BucketOptions Answers { get; set; } = new() { Burst = 240, PerMinute = 120 };
}

/// <summary>
/// The HTTP rate limiter (ASP.NET Core's <c>AddRateLimiter</c>): one named policy per guarded action, applied on the
/// endpoints with <c>RequireRateLimiting</c> and on the pages with <c>[EnableRateLimiting]</c>. Refusals are a 429 with <c>Retry-After</c> and a Vietnamese ProblemDetails.
/// Hub calls never pass this middleware; LiveHubFilter limits them per connection.
/// </summary>
public static class RateLimits
{
    public const string Registration = "registration";
    public const string SignIn = "sign-in";
    public const string AttemptStart = "attempt-start";
    public const string Answers = "answers";

    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Registration, c => Bucket(c, "ip:" + AddressKey(c), b => b.Registration));
            o.AddPolicy(SignIn, c => Bucket(c, "ip:" + AddressKey(c), b => b.SignIn));
            o.AddPolicy(AttemptStart, c => Bucket(c, ParticipantKey(c), b => b.AttemptStart));
            o.AddPolicy(Answers, c => Bucket(c, ParticipantKey(c), b => b.Answers));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Bucket(HttpContext context, string key, Func<RateLimitOptions, BucketOptions> pick)
    {
        // The policies also sit on the participant pages whose forms do the same things (registration, sign-in, starting
        // and submitting an attempt): showing the form is not limited, posting it is.
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("read");
        }
        var bucket = pick(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        // Tokens come back every 2 seconds rather than once a minute, so a refusal lasts seconds, not up to a minute.
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = bucket.Burst,
            TokensPerPeriod = Math.Max(1, bucket.PerMinute / 30),
            ReplenishmentPeriod = TimeSpan.FromSeconds(bucket.PerMinute >= 30 ? 2 : 60.0 / bucket.PerMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    // An IPv6 client controls a whole /64, so that is one address here.
    public static string AddressKey(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } v6 => new IPAddress([.. v6.GetAddressBytes()[..8], 0, 0, 0, 0, 0, 0, 0, 0]) + "/64",
        var v4 => v4.ToString(),
    };

    private static string ParticipantKey(HttpContext context) =>
        context.User.FindFirst("participant_id")?.Value is { } id ? "participant:" + id : "ip:" + AddressKey(context);

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var http = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 10;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (!ErrorResponses.IsApi(http))
        {
            return; // an empty 429: the status-code pages re-execute /loi/429, the Vietnamese page with a way back
        }
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Bạn gửi yêu cầu quá nhanh; vui lòng chờ một chút rồi thử lại.",
                Detail = $"Hệ thống giới hạn số lần đăng ký, đăng nhập, vào thi và lưu câu trả lời trong một phút để chặn phần mềm tự động. "
                    + $"Thử lại sau {seconds} giây; những gì đã lưu không bị mất.",
            },
        });
    }
}
