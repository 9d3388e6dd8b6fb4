using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace NQ66Quiz.Web.Features.Organizers;

public abstract record SignInOutcome
{
    public sealed record Ok(OrganizerAccount Account) : SignInOutcome;

    /// <summary>Too many failures from this address, for this account or from this browser.</summary>
    public sealed record Throttled : SignInOutcome;

    /// <summary>Wrong e-mail or password, or a disabled account (which of them is not said).</summary>
    public sealed record Refused : SignInOutcome;

    /// <summary>The password was right and the account has a second factor: ask for the code (the ticket carries the account).</summary>
    public sealed record NeedsCode(string Ticket) : SignInOutcome;

    public sealed record WrongCode : SignInOutcome;
}

/// <summary>
/// The organizer sign-in, shared by the API and the page: throttle, password, second factor, then a server-side session
/// (<see cref="OrganizerSessions"/>) in an HttpOnly cookie. A browser that has signed in to an account before carries a
/// device cookie for it (OWASP "device cookies"): its failures are counted for that browser only, so someone guessing an
/// account's password from elsewhere cannot lock its owner out, however long they keep at it.
/// </summary>
public sealed class OrganizerSignIn(OrganizerAccounts accounts, OrganizerSignInThrottle throttle, OrganizerSecondFactor secondFactor,
    OrganizerSessions sessions, OrganizerAudit audit, IDataProtectionProvider protection)
{
    public const string DeviceCookie = "nq66.thiet-bi";
    public static readonly TimeSpan DeviceLifetime = TimeSpan.FromDays(90);
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector _devices = protection.CreateProtector("NQ66Quiz.Organizers.Device.v1");
    private readonly ITimeLimitedDataProtector _tickets = protection.CreateProtector("NQ66Quiz.Organizers.SecondFactorTicket.v1").ToTimeLimitedDataProtector();

    private sealed record Device(string Email, string Nonce);

    private sealed record Ticket(long AccountId, string Email);

    /// <summary>E-mail and password, and the second-factor code when the account has one (API: all in one request).</summary>
    public async Task<SignInOutcome> PasswordAsync(HttpContext http, string? email, string? password, string? code, CancellationToken ct)
    {
        var address = http.Connection.RemoteIpAddress;
        var device = DeviceOf(http, email);
        if (await throttle.IsBlockedAsync(address, email, device))
        {
            return new SignInOutcome.Throttled();
        }
        var account = await accounts.VerifyAsync(email, password, ct);
        if (account is null)
        {
            await throttle.FailedAsync(address, email, device);
            await audit.WriteAsync(null, "sign-in failed", OrganizerAccounts.NormalizeEmail(email) ?? "(email không hợp lệ)", new { }, address, ct);
            return new SignInOutcome.Refused();
        }
        if (await secondFactor.IsEnabledAsync(account.Id, ct))
        {
            var ticket = _tickets.Protect(JsonSerializer.Serialize(new Ticket(account.Id, account.Email)), TicketLifetime);
            return string.IsNullOrWhiteSpace(code) ? new SignInOutcome.NeedsCode(ticket) : await CodeAsync(http, ticket, code, ct);
        }
        return await CompleteAsync(http, account, device, ct);
    }

    /// <summary>The second step: the code for the account in <paramref name="ticket"/> (from <see cref="SignInOutcome.NeedsCode"/>).</summary>
    public async Task<SignInOutcome> CodeAsync(HttpContext http, string? ticket, string? code, CancellationToken ct)
    {
        var address = http.Connection.RemoteIpAddress;
        if (ReadTicket(ticket) is not { } pending)
        {
            return new SignInOutcome.Refused();
        }
        var device = DeviceOf(http, pending.Email);
        if (await throttle.IsBlockedAsync(address, pending.Email, device))
        {
            return new SignInOutcome.Throttled();
        }
        if (!await secondFactor.VerifyAsync(pending.AccountId, code, ct) || await accounts.GetAsync(pending.AccountId, ct) is not { DisabledAt: null } account)
        {
            await throttle.FailedAsync(address, pending.Email, device);
            await audit.WriteAsync(pending.AccountId, "sign-in second factor failed", "organizer:" + pending.AccountId, new { }, address, ct);
            return new SignInOutcome.WrongCode();
        }
        return await CompleteAsync(http, account, device, ct);
    }

    private async Task<SignInOutcome> CompleteAsync(HttpContext http, OrganizerAccount account, string? device, CancellationToken ct)
    {
        await throttle.SucceededAsync(http.Connection.RemoteIpAddress, account.Email, device);
        await StartSessionAsync(http, account, ct);
        http.Response.Cookies.Append(DeviceCookie, _devices.Protect(JsonSerializer.Serialize(new Device(account.Email, device ?? Guid.NewGuid().ToString("N")))),
            new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                MaxAge = DeviceLifetime,
                IsEssential = true,
            });
        await audit.WriteAsync(account.Id, "sign-in", "organizer:" + account.Id, new { }, http.Connection.RemoteIpAddress, ct);
        return new SignInOutcome.Ok(account);
    }

    /// <summary>A new server-side session for <paramref name="account"/> and the cookie that names it.</summary>
    public static async Task StartSessionAsync(HttpContext http, OrganizerAccount account, CancellationToken ct = default)
    {
        var session = await http.RequestServices.GetRequiredService<OrganizerSessions>().StartAsync(account.Id, ct);
        var claims = OrganizerScope.Claims(account.Id, account.Name, account.Email, account.Role, account.UnitId)
            .Append(new Claim(OrganizerSessions.SessionClaim, session));
        if (await SecondFactorSetup.StartsPendingAsync(http.RequestServices, account, ct))
        {
            claims = claims.Append(new Claim(SecondFactorSetup.PendingClaim, "1"));
        }
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme)));
    }

    /// <summary>Ends the session on the server (the cookie is worthless from now on, wherever it was copied) and clears it.</summary>
    public async Task SignOutAsync(HttpContext http, CancellationToken ct)
    {
        await sessions.EndAsync(OrganizerSessions.IdOf(http.User), "sign-out", ct);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>After a password change: every session of the account ends, and this browser gets a new one.</summary>
    public async Task RenewAfterPasswordChangeAsync(HttpContext http, long accountId, CancellationToken ct)
    {
        await sessions.EndAllAsync(accountId, "password-changed", ct);
        if (await accounts.GetAsync(accountId, ct) is { } account)
        {
            await StartSessionAsync(http, account, ct);
        }
    }

    // The device nonce, when this browser signed in to this very account before.
    private string? DeviceOf(HttpContext http, string? email)
    {
        var normalized = OrganizerAccounts.NormalizeEmail(email);
        if (normalized is null || !http.Request.Cookies.TryGetValue(DeviceCookie, out var value))
        {
            return null;
        }
        try
        {
            var device = JsonSerializer.Deserialize<Device>(_devices.Unprotect(value));
            return device?.Email == normalized ? device.Nonce : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private Ticket? ReadTicket(string? ticket)
    {
        if (string.IsNullOrEmpty(ticket))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<Ticket>(_tickets.Unprotect(ticket));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
