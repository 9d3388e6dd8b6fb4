using System.Text;
using CsCheck;
using NQ66Quiz.Web.Features.LiveRounds;
using NQ66Quiz.Web.Features.Organizers;
using NQ66Quiz.Web.Features.Participants;
using NQ66Quiz.Web.Features.QuestionBank;

namespace NQ66Quiz.Tests.Security;

/// <summary>
/// Issue 14, item 6: the Markdown question parser and the validators behind the HTTP and hub payloads, fed random and
/// mutated input (CsCheck): they never throw, never hang, and every problem they report says where it is.
/// </summary>
public sealed class BadInputPropertyTests
{
    private static readonly string Valid = Path.Combine(AppContext.BaseDirectory, "TestData", "bank", "valid");

    // What Markdown, YAML and the bank format give meaning to, plus the characters that break naive code.
    private static readonly string[] Tokens =
    [
        "\n", "\r\n", "\r", " ", "\t", "#", "## ", "### Đáp án", "- [x] ", "- [ ] ", "* ", "1. ", "> ", "---\n", "```", "`", "|", "**", "_",
        "[", "]", "(", ")", "<script>alert(1)</script>", "'; DROP TABLE questions;--", "&amp;", "\\", ":", "id: ", "quan-diem: [1, 2]",
        "\u0000", "\u200B", "\uFEFF", "\uD800", "e\u0301", "Nghị quyết 66-NQ/TW", "ệ", "𝕏", new string('#', 300), new string('>', 200), new string('[', 500),
    ];

    private static readonly Gen<string> Noise = Gen.OneOf(Gen.OneOf(Tokens), Gen.String[0, 20]).Array[0, 60].Select(parts => string.Concat(parts));

    // A real bank file with random edits: a deletion, an insertion of noise, or a swap of two lines.
    private static readonly Gen<string> Mutated =
        Gen.Select(Gen.OneOf(Directory.GetFiles(Valid, "*.md").Select(File.ReadAllText).Select(Gen.Const).ToArray()),
                   Gen.Int[0, 2].Array[1, 8], Gen.Int.Array[8], Noise.Array[8],
                   (text, kinds, positions, noise) =>
                   {
                       var sb = new StringBuilder(text);
                       for (var i = 0; i < kinds.Length; i++)
                       {
                           var at = (int)((uint)positions[i] % (uint)Math.Max(1, sb.Length));
                           switch (kinds[i])
                           {
                               case 0: sb.Remove(at, Math.Min(sb.Length - at, 1 + noise[i].Length)); break;
                               case 1: sb.Insert(at, noise[i]); break;
                               default:
                                   var lines = sb.ToString().Split('\n');
                                   var a = at % lines.Length;
                                   var b = (at / 7) % lines.Length;
                                   (lines[a], lines[b]) = (lines[b], lines[a]);
                                   sb.Clear().Append(string.Join('\n', lines));
                                   break;
                           }
                       }
                       return sb.ToString();
                   });

    private static ParsedFile ParseWithin(string text, TimeSpan limit)
    {
        var parse = Task.Run(() => BankParser.Parse("fuzz.md", text));
        Assert.True(parse.Wait(limit), $"parsing {text.Length} characters took over {limit.TotalSeconds} s: {Escape(text)}");
        return parse.Result;
    }

    private static string Escape(string text) => System.Text.Json.JsonSerializer.Serialize(text.Length > 400 ? text[..400] : text);

    private static void AssertLocated(ParsedFile parsed, string text)
    {
        // The parser counts \r\n, \r and \n as one line break each.
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r').Length;
        foreach (var issue in parsed.Issues)
        {
            Assert.False(string.IsNullOrWhiteSpace(issue.Message), "an issue without a message");
            Assert.InRange(issue.Line, 1, lines + 1);
            Assert.True(issue.Column >= 1, $"issue at column {issue.Column}: {issue.Message}");
        }
    }

    [Fact]
    public void The_bank_parser_survives_mutated_bank_files_and_locates_every_problem()
    {
        Mutated.Sample(text => AssertLocated(ParseWithin(text, TimeSpan.FromSeconds(10)), text), iter: 400, threads: 1);
    }

    [Fact]
    public void The_bank_parser_survives_random_markdown_and_bytes()
    {
        Noise.Sample(text => AssertLocated(ParseWithin(text, TimeSpan.FromSeconds(10)), text), iter: 600, threads: 1);
        Gen.Byte.Array[0, 2000].Sample(bytes =>
        {
            var parse = Task.Run(() => BankParser.ParseBytes("fuzz.md", bytes));
            Assert.True(parse.Wait(TimeSpan.FromSeconds(10)), "parsing random bytes hung");
            Assert.All(parse.Result.Issues, i => Assert.True(i.Line >= 0 && i.Column >= 0 && i.Message.Length > 0, i.ToString()));
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Deeply_nested_or_huge_markdown_is_parsed_within_a_bounded_time()
    {
        foreach (var text in new[]
        {
            "## q1\n" + new string('>', 20_000) + " x",
            "## q1\n" + string.Concat(Enumerable.Repeat("- ", 5_000)) + "x",
            "## q1\n" + new string('[', 50_000) + new string(']', 50_000),
            "## q1\n" + string.Concat(Enumerable.Repeat("**a", 20_000)),
            "---\n" + string.Concat(Enumerable.Repeat("a: &a [*a, *a]\n", 50)) + "---\n",
            string.Concat(Enumerable.Repeat("## q\n### Đáp án\n- [x] a\n", 3_000)),
        })
        {
            AssertLocated(ParseWithin(text, TimeSpan.FromSeconds(20)), text);
        }
    }

    private static readonly Gen<string> Field = Gen.OneOf(Gen.OneOf(Tokens), Gen.String[0, 80], Gen.Char.Array[0, 300].Select(c => new string(c)),
        Gen.Const("Nguyễn Văn An"), Gen.Const("Nguye\u0302\u0303n Va\u0306n An"), Gen.Const("0912345678"), Gen.Const("001090012345"));

    [Fact]
    public void Registration_validation_never_throws_and_each_error_names_a_field_in_Vietnamese()
    {
        // The JSON names of the request's properties (camelCase): an error names one of them.
        var fields = typeof(RegisterRequest).GetProperties().Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).ToList();
        Gen.Select(Field.Array[8], Gen.Int.Nullable(), Gen.Bool, (f, unit, consent) =>
                new RegisterRequest(f[0], f[1], f[2], f[3], unit, f[4], f[5], consent, consent, f[6], consent))
            .Sample(request =>
            {
                var (valid, errors) = RegistrationRules.Validate(request, new DateOnly(2026, 12, 1));
                Assert.True(valid is not null ^ errors.Count > 0);
                foreach (var (field, messages) in errors)
                {
                    Assert.Contains(field, fields);
                    Assert.All(messages, m => Assert.Matches("[àáảãạăâđèéêìíòóôơùúưýỳ]", m.ToLowerInvariant()));
                }
                if (valid is not null)
                {
                    Assert.True(valid.FullName.IsNormalized(NormalizationForm.FormC));
                }
            }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Names_phones_national_ids_and_nicknames_come_out_NFC_and_NFD_input_means_the_same_as_NFC()
    {
        Field.Sample(raw =>
        {
            var nfc = NQ66Quiz.Web.Common.VietnameseText.Nfc(raw);
            var nfd = nfc.Normalize(NormalizationForm.FormD);
            // Broken UTF-16 (a lone surrogate) as it comes in must not make a validator throw.
            _ = PersonName.Normalize(raw);
            _ = PhoneNumber.Normalize(raw);
            _ = NationalId.Normalize(raw, null);
            _ = LiveEngine.NormalizeNickname(raw, out _);
            var name = PersonName.Normalize(nfd);
            Assert.Equal(PersonName.Normalize(nfc), name);
            Assert.True(name.Name is null || name.Name.IsNormalized(NormalizationForm.FormC));
            Assert.Equal(PhoneNumber.Normalize(nfc), PhoneNumber.Normalize(nfd));
            Assert.Equal(NationalId.Normalize(nfc, new DateOnly(1990, 1, 1)), NationalId.Normalize(nfd, new DateOnly(1990, 1, 1)));
            var nick = LiveEngine.NormalizeNickname(nfd, out var key);
            Assert.Equal(LiveEngine.NormalizeNickname(nfc, out var keyNfc), nick);
            Assert.Equal(keyNfc, key);
            Assert.True(nick is null || (nick.IsNormalized(NormalizationForm.FormC) && nick.Length is >= 1 and <= 30 && !nick.Any(char.IsControl)));
            _ = OrganizerPasswords.Error(raw);
            _ = OrganizerAccounts.NormalizeEmail(raw);
        }, iter: 3000, threads: 1);
    }
}
