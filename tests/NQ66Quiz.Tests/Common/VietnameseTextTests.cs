using System.Text;

namespace NQ66Quiz.Tests.Common;

public sealed class VietnameseTextTests
{
    [Theory]
    [InlineData("Phường Hoàn Kiếm", "phuong hoan kiem")]
    [InlineData("  Xã  Đông   Anh ", "xa dong anh")]
    [InlineData("Phường Văn Miếu - Quốc Tử Giám", "phuong van mieu quoc tu giam")]
    [InlineData("Sở Quy hoạch - Kiến trúc", "so quy hoach kien truc")]
    [InlineData("ĐỐNG ĐA", "dong da")]
    public void Fold_strips_accents_case_and_punctuation(string input, string expected) =>
        Assert.Equal(expected, VietnameseText.Fold(input));

    [Fact]
    public void Fold_gives_the_same_key_for_composed_and_decomposed_text()
    {
        var nfd = "Hoàn Kiếm".Normalize(NormalizationForm.FormD);

        Assert.NotEqual("Hoàn Kiếm", nfd);
        Assert.Equal(VietnameseText.Fold("Hoàn Kiếm"), VietnameseText.Fold(nfd));
    }

    [Fact]
    public void Clean_returns_NFC_with_single_spaces()
    {
        var messy = "  Nguyễn\u00A0\u00A0Văn \t An ".Normalize(NormalizationForm.FormD);

        var clean = VietnameseText.Clean(messy);

        Assert.Equal("Nguyễn Văn An", clean);
        Assert.True(clean.IsNormalized(NormalizationForm.FormC));
    }

    [Fact]
    public void Slug_joins_folded_words_with_hyphens() =>
        Assert.Equal("phuong-van-mieu-quoc-tu-giam", VietnameseText.Slug("Phường Văn Miếu - Quốc Tử Giám"));

    [Fact]
    public void Vietnamese_order_puts_D_before_Đ_and_A_before_Ă()
    {
        string[] names = ["Xã Đông Anh", "Xã Dương Hòa", "Xã Ân Thi", "Xã Ba Vì", "Xã Ăn Khê", "Xã An Khánh"];

        var sorted = names.Order(VietnameseText.Comparer).ToArray();

        Assert.Equal(["Xã An Khánh", "Xã Ăn Khê", "Xã Ân Thi", "Xã Ba Vì", "Xã Dương Hòa", "Xã Đông Anh"], sorted);
    }
}
