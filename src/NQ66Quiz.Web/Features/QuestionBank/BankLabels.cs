namespace NQ66Quiz.Web.Features.QuestionBank;

/// <summary>How the format's values read in the organizer pages (Vietnamese).</summary>
public static partial class BankLabels
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
        BankImporter.FromContent => "nhập từ tệp ngân hàng câu hỏi",
        BankImporter.FromOrganizer => "sửa trên web",
        BankImporter.FromXlsx => "tệp Excel",
        _ => createdBy ?? "",
    };

    /// <summary>
    /// A question's source as people read it: the document's title as written, its public address a link. The text
    /// is encoded; only http(s) addresses become links.
    /// </summary>
    public static string SourceHtml(string? source)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return "";
        }
        var html = new System.Text.StringBuilder();
        var last = 0;
        foreach (System.Text.RegularExpressions.Match m in Address().Matches(source))
        {
            var url = m.Value.TrimEnd('.', ',', ';', ')');
            html.Append(System.Net.WebUtility.HtmlEncode(source[last..m.Index]));
            var encoded = System.Net.WebUtility.HtmlEncode(url);
            html.Append("<a href=\"").Append(encoded).Append("\" rel=\"noopener\">").Append(encoded).Append("</a>");
            last = m.Index + url.Length;
        }
        return html.Append(System.Net.WebUtility.HtmlEncode(source[last..])).ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"https?://\S+")]
    private static partial System.Text.RegularExpressions.Regex Address();

    /// <summary>The stem as one line of plain text, cut for a list.</summary>
    public static string Excerpt(string stemMd, int max = 160)
    {
        var plain = BankMarkdown.Folded(stemMd).Length == 0 ? "" : Markdig.Markdown.ToPlainText(stemMd, BankMarkdown.Rendering);
        plain = string.Join(' ', plain.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return plain.Length <= max ? plain : plain[..max].TrimEnd() + "…";
    }
}
