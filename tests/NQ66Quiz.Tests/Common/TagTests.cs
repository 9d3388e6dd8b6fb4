namespace NQ66Quiz.Tests.Common;

public sealed class TagTests
{
    [Theory]
    [InlineData("quan-diem-3", "Quan điểm 3", "/hoc/quan-diem-3")]
    [InlineData("nhiem-vu-7", "Nhiệm vụ 7", "/hoc/nhiem-vu-7")]
    [InlineData(" Muc-Tieu ", "Mục tiêu", "/hoc/muc-tieu")]
    [InlineData("ke-hoach-ha-noi", "Kế hoạch của Thành phố Hà Nội", "/hoc/ke-hoach-ha-noi")]
    [InlineData("chung", "Kiến thức chung", "/hoc")]
    public void A_scope_slug_names_its_label_and_study_page(string slug, string label, string studyPath)
    {
        Assert.True(Tag.TryParse(slug, out var scope));

        Assert.Equal(label, scope.Label);
        Assert.Equal(studyPath, scope.StudyPath);
        Assert.Equal("/luyen-tap?phan=" + slug.Trim().ToLowerInvariant(), scope.PracticePath);
    }

    [Theory]
    [InlineData("quan-diem-0")]
    [InlineData("quan-diem-6")]
    [InlineData("nhiem-vu-8")]
    [InlineData("muc-tieu-2030")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_a_scope(string? slug) => Assert.False(Tag.TryParse(slug, out _));

    [Fact]
    public void There_are_5_viewpoints_7_tasks_and_3_topics_in_page_order()
    {
        Assert.Equal(15, Tag.All.Count);
        Assert.Equal("quan-diem-1", Tag.All[0].Slug);
        Assert.Equal("nhiem-vu-1", Tag.All[5].Slug);
        Assert.Equal(["muc-tieu", "ke-hoach-ha-noi", "chung"], Tag.All.Skip(12).Select(s => s.Slug));
    }

    [Fact]
    public void Read_more_follows_the_first_tag_viewpoint_then_task_then_topic()
    {
        Assert.Equal("/hoc/quan-diem-2", Tag.FirstTag([2, 4], [3], ["muc-tieu"])!.StudyPath);
        Assert.Equal("/hoc/nhiem-vu-3", Tag.FirstTag([], [3, 1], ["muc-tieu"])!.StudyPath);
        Assert.Equal("/hoc/ke-hoach-ha-noi", Tag.FirstTag([], [], ["ke-hoach-ha-noi", "chung"])!.StudyPath);
        Assert.Equal("/hoc", Tag.FirstTag([], [], ["chung"])!.StudyPath);
        Assert.Null(Tag.FirstTag([9], [], ["khac"]));
    }

    [Fact]
    public void A_question_counts_towards_every_one_of_its_tags_once()
    {
        var tags = Tag.Tags([2, 2], [3], ["muc-tieu", "unknown"]);

        Assert.Equal(["quan-diem-2", "nhiem-vu-3", "muc-tieu"], tags.Select(t => t.Slug));
    }
}
