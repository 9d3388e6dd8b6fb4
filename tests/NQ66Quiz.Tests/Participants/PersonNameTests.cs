using System.Text;
using NQ66Quiz.Web.Features.Participants;

namespace NQ66Quiz.Tests.Participants;

public sealed class PersonNameTests
{
    [Fact]
    public void Stray_spaces_and_decomposed_accents_are_normalised()
    {
        var (name, error) = PersonName.Normalize("  Nguyễn   Thị \u00A0Thu  Hà ".Normalize(NormalizationForm.FormD));

        Assert.Null(error);
        Assert.Equal("Nguyễn Thị Thu Hà", name);
        Assert.True(name!.IsNormalized(NormalizationForm.FormC));
    }

    [Theory]
    [InlineData("", "Vui lòng nhập họ và tên.")]
    [InlineData("   ", "Vui lòng nhập họ và tên.")]
    [InlineData("An", "Họ và tên cần có cả họ và tên, ví dụ \"Nguyễn Văn An\".")]
    [InlineData("Nguyễn Văn An 2", "Họ và tên chỉ gồm chữ cái và dấu cách; bỏ ký tự \"2\".")]
    [InlineData("Nguyễn <b>An</b>", "Họ và tên chỉ gồm chữ cái và dấu cách; bỏ ký tự \"<\".")]
    public void Refuses_what_is_not_a_name(string input, string message) =>
        Assert.Equal((null, message), PersonName.Normalize(input));

    [Theory]
    [InlineData("H'Hen Niê")]
    [InlineData("Nguyễn Thị Thu-Hà")]
    [InlineData("Đặng Thái Sơn")]
    public void Accepts_real_names(string input) => Assert.Equal((input, null), PersonName.Normalize(input));

    [Theory]
    [InlineData("Nguyễn Văn An", "Nguyễn V. A.")]
    [InlineData("Đặng Thị Ánh Tuyết", "Đặng T. Á. T.")]
    [InlineData("Lê  Ơn", "Lê Ơ.")]
    public void Masks_all_but_the_family_name_to_initials(string name, string masked) => Assert.Equal(masked, PersonName.Mask(name));
}
