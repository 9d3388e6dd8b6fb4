namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>How the format's values read in the organizer pages (Vietnamese).</summary>
public static class BankLabels
{
    public static string Difficulty(string difficulty) => difficulty switch
    {
        "easy" => "Dễ",
        "medium" => "Trung bình",
        "hard" => "Khó",
        _ => difficulty,
    };

    public static string Kind(string kind) => kind == BankVocabulary.KindMultiple ? "Nhiều đáp án" : "Một đáp án";

    public static string CreatedBy(string? createdBy) => createdBy switch
    {
        BankImporter.FromContent => "tệp content/",
        BankImporter.FromOrganizer => "sửa trên web",
        BankImporter.FromXlsx => "tệp Excel",
        _ => createdBy ?? "",
    };

    /// <summary>The stem as one line of plain text, cut for a list.</summary>
    public static string Excerpt(string stemMd, int max = 160)
    {
        var plain = BankMarkdown.Folded(stemMd).Length == 0 ? "" : Markdig.Markdown.ToPlainText(stemMd, BankMarkdown.Rendering);
        plain = string.Join(' ', plain.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return plain.Length <= max ? plain : plain[..max].TrimEnd() + "…";
    }
}
