using System.Text.Json;

namespace NQ66Quiz.Web.Common;

/// <summary>
/// One element of <c>question_versions.options</c>, as the importer writes it and every reader reads it.
/// <see cref="Correct"/> is the answer key: it stays on the server until the answer is due.
/// </summary>
public sealed record StoredOption(short Id, string Md, string Html, bool Correct)
{
    /// <summary>The column's JSON (camelCase names: <c>id</c>, <c>md</c>, <c>html</c>, <c>correct</c>).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static StoredOption[] Parse(string json) => JsonSerializer.Deserialize<StoredOption[]>(json, Json)!;

    public static string ToJson(IEnumerable<StoredOption> options) => JsonSerializer.Serialize(options, Json);
}
