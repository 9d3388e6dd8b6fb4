namespace NQ66Quiz.Web.Infrastructure;

/// <summary>Splits a SQL script on the semicolons that end statements, not those inside quotes, comments or $$ bodies.</summary>
internal static class SqlStatements
{
    /// <returns>Each non-empty statement with the offset of its first character in <paramref name="sql"/>.</returns>
    public static IEnumerable<(int Offset, string Statement)> Split(string sql)
    {
        var start = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && At(sql, i, "--"))
            {
                i = IndexAfter(sql, "\n", i + 2);
            }
            else if (c == '/' && At(sql, i, "/*"))
            {
                i = IndexAfter(sql, "*/", i + 2);
            }
            else if (c is '\'' or '"')
            {
                i = IndexAfter(sql, c.ToString(), i + 1);
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                i = IndexAfter(sql, tag, i + tag.Length);
            }
            else if (c == ';')
            {
                if (Meaningful(sql, start, i + 1) is { } statement)
                {
                    yield return statement;
                }
                start = ++i;
            }
            else
            {
                i++;
            }
        }
        if (Meaningful(sql, start, sql.Length) is { } last)
        {
            yield return last;
        }
    }

    private static (int, string)? Meaningful(string sql, int start, int end)
    {
        var text = sql[start..end];
        var body = string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal)));
        if (body.Trim(';', ' ', '\n', '\r', '\t').Length == 0)
        {
            return null;
        }
        // Point at the statement's first real character, not the blank lines or comments before it.
        var lead = 0;
        while (lead < text.Length && (char.IsWhiteSpace(text[lead]) || At(text, lead, "--")))
        {
            lead = At(text, lead, "--") ? IndexAfter(text, "\n", lead) : lead + 1;
        }
        return (start + lead, text[lead..]);
    }

    private static bool At(string s, int i, string token) => string.CompareOrdinal(s, i, token, 0, token.Length) == 0;

    private static int IndexAfter(string s, string token, int from)
    {
        var at = s.IndexOf(token, from, StringComparison.Ordinal);
        return at < 0 ? s.Length : at + token.Length;
    }

    private static string? DollarTag(string s, int i)
    {
        var end = i + 1;
        while (end < s.Length && (char.IsLetterOrDigit(s[end]) || s[end] == '_'))
        {
            end++;
        }
        return end < s.Length && s[end] == '$' ? s[i..(end + 1)] : null;
    }
}
