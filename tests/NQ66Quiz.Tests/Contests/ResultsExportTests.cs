using NQ66Quiz.Web.Features.Contests;

namespace NQ66Quiz.Tests.Contests;

public sealed class ResultsExportTests
{
    [Theory]
    [InlineData("Phường Hoàn Kiếm", "Phường Hoàn Kiếm")]
    [InlineData("Sở Quy hoạch - Kiến trúc", "Sở Quy hoạch - Kiến trúc")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-5", "-5")]
    public void Csv_fields_are_quoted_and_never_run_as_formulas(string value, string field) => Assert.Equal(field, ResultsExport.Field(value));
}
