using System.Text.Json;
using Dapper;
using NQ66Quiz.IntegrationTests.Infrastructure;
using NQ66Quiz.Web.Features.QuestionBank;
using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.IntegrationTests.QuestionBank;

public sealed class BankImportTests(AppFixture app) : IntegrationTest(app)
{
    private QuestionBankLoader Loader => App.Service<IEnumerable<IContentLoader>>().OfType<QuestionBankLoader>().Single();

    private async Task<(bool Ok, string Log)> LoadAsync(SampleBank bank)
    {
        var log = new StringWriter();
        var ok = await Loader.LoadAsync(bank.Root, log, CancellationToken.None);
        return (ok, log.ToString());
    }

    private sealed record VersionRow(string QuestionId, int Version, string StemMd, string StemHtml, string Options, string ExplanationHtml, string CreatedBy, string? SourceFile);

    private async Task<List<VersionRow>> VersionsAsync()
    {
        await using var db = App.OpenConnection();
        return [.. await db.QueryAsync<VersionRow>(
            "SELECT question_id, version, stem_md, stem_html, options::text AS options, explanation_html, created_by, source_file FROM question_versions ORDER BY question_id, version")];
    }

    [Fact]
    public async Task Importing_the_same_bank_twice_changes_nothing_the_second_time_and_says_so()
    {
        using var bank = new SampleBank().Write("a.md", SampleBank.Question("qd2-001") + SampleBank.Question("qd2-002", stem: "Câu thứ hai?"));

        var first = await LoadAsync(bank);
        var versionsAfterFirst = await VersionsAsync();
        var second = await LoadAsync(bank);

        Assert.True(first.Ok, first.Log);
        Assert.Contains("2 added, 0 updated, 0 retired, 0 restored, 0 unchanged", first.Log, StringComparison.Ordinal);
        Assert.True(second.Ok, second.Log);
        Assert.Contains("nothing changed", second.Log, StringComparison.Ordinal);
        Assert.Contains("2 unchanged", second.Log, StringComparison.Ordinal);
        Assert.Equal(versionsAfterFirst, await VersionsAsync());
        await using var db = App.OpenConnection();
        Assert.Equal(1L, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM content_imports"));
        Assert.Equal(("questions/a.md", "content"), (versionsAfterFirst[0].SourceFile, versionsAfterFirst[0].CreatedBy));
    }

    [Fact]
    public async Task A_bank_with_one_error_imports_nothing_and_names_the_error()
    {
        using var bank = new SampleBank()
            .Write("a.md", SampleBank.Question("qd2-001"))
            .Write("b.md", SampleBank.Question("qd2-002", viewpoint: "9"));

        var (ok, log) = await LoadAsync(bank);

        Assert.False(ok);
        Assert.Contains("questions/b.md:4:12: lỗi: viewpoint 9 không có", log, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", log, StringComparison.Ordinal);
        await using var db = App.OpenConnection();
        Assert.Equal(0L, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM questions"));
        Assert.Equal(0L, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM content_imports"));
    }

    [Fact]
    public async Task An_edited_question_gets_a_new_version_and_an_attempt_keeps_the_version_it_showed()
    {
        using var bank = new SampleBank().Write("a.md", SampleBank.Question("qd2-001", stem: "Câu hỏi bản đầu?"));
        await LoadAsync(bank);
        await using var db = App.OpenConnection();
        // What an attempt stores: the id of the version row it showed.
        var shown = await db.ExecuteScalarAsync<long>("SELECT id FROM question_versions WHERE question_id = 'qd2-001'");

        bank.Write("a.md", SampleBank.Question("qd2-001", stem: "Câu hỏi bản **sửa**?"));
        var (ok, log) = await LoadAsync(bank);

        Assert.True(ok, log);
        Assert.Contains("0 added, 1 updated", log, StringComparison.Ordinal);
        Assert.Equal("Câu hỏi bản đầu?", await db.ExecuteScalarAsync<string>("SELECT stem_md FROM question_versions WHERE id = @shown", new { shown }));
        var current = await db.QuerySingleAsync<(int Version, string StemHtml)>("""
            SELECT v.version, v.stem_html FROM questions q JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version
            WHERE q.id = 'qd2-001'
            """);
        Assert.Equal((2, "<p>Câu hỏi bản <strong>sửa</strong>?</p>"), current);
    }

    [Fact]
    public async Task A_question_removed_from_the_files_is_retired_not_deleted_and_comes_back_when_it_returns()
    {
        using var bank = new SampleBank().Write("a.md", SampleBank.Question("qd2-001")).Write("b.md", SampleBank.Question("qd2-002"));
        await LoadAsync(bank);

        bank.Delete("b.md");
        var removed = await LoadAsync(bank);
        await using var db = App.OpenConnection();
        var retired = await db.QuerySingleAsync<(DateTime? RetiredAt, string? RetiredBy)>("SELECT retired_at, retired_by FROM questions WHERE id = 'qd2-002'");
        bank.Write("b.md", SampleBank.Question("qd2-002"));
        var back = await LoadAsync(bank);

        Assert.Contains("1 retired", removed.Log, StringComparison.Ordinal);
        Assert.Equal((App.Clock.GetUtcNow().UtcDateTime, "content"), retired);
        Assert.Equal(1L, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM question_versions WHERE question_id = 'qd2-002'"));
        Assert.Contains("1 restored", back.Log, StringComparison.Ordinal);
        Assert.Null(await db.ExecuteScalarAsync<DateTime?>("SELECT retired_at FROM questions WHERE id = 'qd2-002'"));
    }

    [Fact]
    public async Task An_organizer_edit_stands_until_the_file_changes_and_an_organizer_retirement_is_not_undone()
    {
        using var bank = new SampleBank().Write("a.md", SampleBank.Question("qd2-001")).Write("b.md", SampleBank.Question("qd2-002"));
        await LoadAsync(bank);
        var store = App.Service<BankStore>();

        var saved = await store.SaveAsync("qd2-001", BankMarkdown.Canonical(BankCheck.CheckText("x", SampleBank.Question("qd2-001", stem: "Bản sửa trên web?")).Questions[0]));
        await store.RetireAsync("qd2-002");
        var reimport = await LoadAsync(bank);

        Assert.Equal(SaveOutcome.NewVersion, saved.Outcome);
        Assert.Contains("1 kept as edited by organizers", reimport.Log, StringComparison.Ordinal);
        Assert.Equal("Bản sửa trên web?", (await store.CurrentQuestionsAsync(includeRetired: true)).Single(q => q.Id == "qd2-001").StemMd);
        Assert.NotNull((await store.GetAsync("qd2-002"))!.RetiredAt);

        bank.Write("a.md", SampleBank.Question("qd2-001", stem: "Bản sửa trong tệp?"));
        var changed = await LoadAsync(bank);

        Assert.Contains("1 updated", changed.Log, StringComparison.Ordinal);
        Assert.Equal(3, (await store.GetAsync("qd2-001"))!.Version);
    }

    [Fact]
    public async Task Stored_html_is_safe_and_options_keep_their_authoring_order_and_key()
    {
        await using var db = App.OpenConnection();
        await App.ImportMarkdownAsync(SampleBank.Question("qd2-001", stem: "Chọn <script>alert(1)</script> đúng?"));

        var row = Assert.Single(await VersionsAsync());

        Assert.Equal("<p>Chọn &lt;script&gt;alert(1)&lt;/script&gt; đúng?</p>", row.StemHtml);
        Assert.Contains("<strong>Bộ Chính trị</strong>", row.ExplanationHtml, StringComparison.Ordinal);
        var options = JsonSerializer.Deserialize<JsonElement[]>(row.Options)!;
        Assert.Equal([0, 1, 2], options.Select(o => o.GetProperty("id").GetInt32()));
        Assert.Equal(["Bộ Chính trị", "Chính phủ", "Quốc hội"], options.Select(o => o.GetProperty("md").GetString()));
        Assert.Equal([true, false, false], options.Select(o => o.GetProperty("correct").GetBoolean()));
        Assert.Equal("Bộ Chính trị", options[0].GetProperty("html").GetString());
    }

    [Fact]
    public async Task The_test_helper_refuses_a_broken_bank_with_its_messages()
    {
        await using var db = App.OpenConnection();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => App.ImportMarkdownAsync(SampleBank.Question("qd2-001", difficulty: "de")));

        Assert.Contains("difficulty 'de' không có", e.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM questions"));
    }
}
