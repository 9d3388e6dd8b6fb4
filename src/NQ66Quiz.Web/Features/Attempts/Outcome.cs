namespace NQ66Quiz.Web.Features.Attempts;

/// <summary>What an attempt operation did: its value, or why not (HTTP status and a Vietnamese message).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
    Justification = "The factories read as Outcome<T>.NotFound(...) at the call site, next to Outcome<T>.Ok.")]
public abstract record Outcome<T>
{
    public sealed record Ok(T Value) : Outcome<T>;

    public sealed record Failed(int Status, string Message, string? ResultUrl = null) : Outcome<T>;

    public static Failed NotFound(string message = "Không tìm thấy lượt thi này trong tài khoản của bạn.") => new(StatusCodes.Status404NotFound, message);

    public static Failed Conflict(string message, string? resultUrl = null) => new(StatusCodes.Status409Conflict, message, resultUrl);

    public static Failed Invalid(string message) => new(StatusCodes.Status400BadRequest, message);
}
