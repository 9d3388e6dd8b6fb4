namespace NQ66Quiz.IntegrationTests.QuestionBank;

/// <summary>Small banks written as content/ would hold them, in a folder of their own per test.</summary>
internal sealed class SampleBank : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "nq66-bank-" + Guid.NewGuid().ToString("N")[..8]);

    public string Questions => Path.Combine(Root, "questions");

    public SampleBank() => Directory.CreateDirectory(Questions);

    public SampleBank Write(string file, string markdown)
    {
        File.WriteAllText(Path.Combine(Questions, file), markdown);
        return this;
    }

    public void Delete(string file) => File.Delete(Path.Combine(Questions, file));

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public static string Question(string id, string stem = "Cơ quan nào ban hành Nghị quyết 66-NQ/TW?", string correct = "Bộ Chính trị",
        string viewpoint = "2", string difficulty = "easy") => $"""
        ## {id}

        ```yaml
        viewpoint: {viewpoint}
        difficulty: {difficulty}
        kind: single
        ```

        {stem}

        - [x] {correct}
        - [ ] Chính phủ
        - [ ] Quốc hội

        ### Giải thích

        Nghị quyết do **{correct}** ban hành; Chính phủ ban hành Nghị quyết 66/NQ-CP, một văn bản khác.

        ### Nguồn

        Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị — https://example.vn/nq66

        """;
}
