namespace NQ66Quiz.Web.Features.Units;

/// <summary>
/// Kinds of unit (loại đơn vị) in the tree: the city root; the departments and communes/wards shipped in
/// content/units; and the sub-units organizers add below them (schools, offices, residential groups, ...).
/// </summary>
public static class UnitKinds
{
    public const string City = "city";
    public const string Commune = "commune";
    public const string Agency = "agency";
    public const string School = "school";
    public const string Office = "office";
    public const string Residential = "residential";
    public const string Enterprise = "enterprise";
    public const string Other = "other";

    /// <summary>What organizers may add (the shipped levels come from content/units, with their sources).</summary>
    public static readonly IReadOnlyList<string> SubUnit = [School, Office, Residential, Enterprise, Other];

    public static string Label(string kind) => kind switch
    {
        City => "Thành phố",
        Commune => "Xã, phường",
        Agency => "Sở, ban, ngành",
        School => "Trường học",
        Office => "Cơ quan, phòng ban",
        Residential => "Thôn, tổ dân phố",
        Enterprise => "Doanh nghiệp",
        Other => "Đơn vị khác",
        _ => kind,
    };

    /// <summary>A kind typed in a sheet: its key or its label, accents and case optional ("Truong hoc", "trường", "school").</summary>
    public static string? ParseSubUnit(string? text) => VietnameseText.Fold(text) switch
    {
        "school" or "truong hoc" or "truong" => School,
        "office" or "co quan" or "phong ban" or "co quan phong ban" => Office,
        "residential" or "thon" or "to dan pho" or "thon to dan pho" or "khu dan cu" => Residential,
        "enterprise" or "doanh nghiep" => Enterprise,
        "other" or "khac" or "don vi khac" => Other,
        _ => null,
    };
}
