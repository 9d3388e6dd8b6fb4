namespace NQ66Quiz.Web.Common;

/// <summary>SQL that several features share about the bank's tables (0002).</summary>
public static class QuestionSql
{
    /// <summary>
    /// Every question with its current version: <c>q</c> is <c>questions</c>, <c>v</c> the version it points at. A
    /// retired question keeps its current version; callers that want live questions add <c>q.retired_at IS NULL</c>.
    /// </summary>
    public const string CurrentVersions = "questions q JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version";
}
