using System.ComponentModel.DataAnnotations;

namespace NQ66Quiz.Web.Features.Portal;

/// <summary>
/// Who runs this deployment, as every page's header and footer say it. Bound from <c>Portal</c>
/// (env: <c>Portal__OrganizingBody</c>, …). Contact lines left empty are left out of the footer: the app never invents
/// a phone number or an address for a department.
/// </summary>
public sealed class PortalOptions : IValidatableObject
{
    public const string Section = "Portal";

    /// <summary>The organizing body, first line of the header: "Sở Tư pháp Thành phố Hà Nội".</summary>
    public string OrganizingBody { get; set; } = "";

    /// <summary>The contest's title, second line of the header and the end of every page title.</summary>
    public string Title { get; set; } = "";

    /// <summary>A PNG, SVG, JPEG or WebP file on disk (the body's emblem), served at <see cref="Portal.EmblemPath"/>; unset: the name alone.</summary>
    public string? EmblemFile { get; set; }

    public string? Address { get; set; }

    [EmailAddress(ErrorMessage = "Portal:ContactEmail is not an email address: set Portal__ContactEmail, e.g. \"bantochuc@example.gov.vn\".")]
    public string? ContactEmail { get; set; }

    public string? Hotline { get; set; }

    public static readonly IReadOnlyDictionary<string, string> EmblemTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".svg"] = "image/svg+xml", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".webp"] = "image/webp",
    };

    public bool HasEmblem => !string.IsNullOrWhiteSpace(EmblemFile);

    /// <summary>The hotline as a tel: address (digits and a leading +).</summary>
    public string? HotlineHref => string.IsNullOrWhiteSpace(Hotline) ? null
        : "tel:" + new string([.. Hotline.Where((c, i) => char.IsAsciiDigit(c) || (c == '+' && i == 0))]);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(OrganizingBody))
        {
            yield return new("Portal:OrganizingBody is empty: set Portal__OrganizingBody, e.g. \"Sở Tư pháp Thành phố Hà Nội\".", [nameof(OrganizingBody)]);
        }
        if (string.IsNullOrWhiteSpace(Title))
        {
            yield return new("Portal:Title is empty: set Portal__Title, e.g. \"Cuộc thi tìm hiểu Nghị quyết số 66-NQ/TW\".", [nameof(Title)]);
        }
        if (HasEmblem)
        {
            if (!EmblemTypes.ContainsKey(Path.GetExtension(EmblemFile!)))
            {
                yield return new($"Portal:EmblemFile \"{EmblemFile}\" is not a .png, .svg, .jpg or .webp file: set Portal__EmblemFile to one, or leave it empty for the name alone.", [nameof(EmblemFile)]);
            }
            else if (!File.Exists(EmblemFile))
            {
                yield return new($"Portal:EmblemFile \"{EmblemFile}\" does not exist: set Portal__EmblemFile to the emblem's full path, or leave it empty for the name alone.", [nameof(EmblemFile)]);
            }
        }
    }
}
