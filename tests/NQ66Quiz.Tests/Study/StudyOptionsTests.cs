using System.ComponentModel.DataAnnotations;
using NQ66Quiz.Web.Features.Study;

namespace NQ66Quiz.Tests.Study;

public sealed class StudyOptionsTests
{
    [Fact]
    public void The_content_folder_is_found_by_walking_up_from_the_app_folder()
    {
        var found = StudyOptions.FindContentFolder(AppContext.BaseDirectory);

        Assert.NotNull(found);
        Assert.True(File.Exists(Path.Combine(found, "README.md")));
        Assert.Null(StudyOptions.FindContentFolder(Path.GetTempPath()));
    }

    [Fact]
    public void A_folder_without_study_pages_tells_the_operator_what_to_set()
    {
        var options = new StudyOptions { Root = Path.Combine(Path.GetTempPath(), "no-such-content") };

        var error = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Contains("Set Content__Root", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("no-such-content", error.ErrorMessage, StringComparison.Ordinal);
    }
}
