using System.ComponentModel.DataAnnotations;
using PdfSharp.Fonts;

namespace NQ66Quiz.Web.Features.Certificates;

public sealed class CertificateOptions
{
    public const string Section = "Certificates";

    /// <summary>
    /// A folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian's fonts-dejavu-core, which .ci/serve and .ci/test
    /// install): a TrueType face with every precomposed Vietnamese letter, embedded in each certificate.
    /// </summary>
    [Required(ErrorMessage = "Certificates:FontFolder is not set: point Certificates__FontFolder at a folder with DejaVuSans.ttf (apt-get install fonts-dejavu-core).")]
    public string FontFolder { get; set; } = "/usr/share/fonts/truetype/dejavu";

    public static ValidationResult? FontsPresent(CertificateOptions options) =>
        CertificateFonts.Files.All(f => File.Exists(Path.Combine(options.FontFolder, f)))
            ? ValidationResult.Success
            : new ValidationResult($"Certificates:FontFolder ({options.FontFolder}) lacks {string.Join(" or ", CertificateFonts.Files)}: "
                + "apt-get install fonts-dejavu-core, or set Certificates__FontFolder to a folder that has them.");
}

/// <summary>
/// PDFsharp's font resolver is process-wide and may be set once: one family, two faces, read from the configured folder.
/// Every request (any family name) gets DejaVu Sans, so no text can fall back to a face without Vietnamese glyphs.
/// </summary>
public sealed class CertificateFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    public static readonly string[] Files = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"];

    private static readonly Lock Gate = new();
    private readonly string _folder;

    private CertificateFonts(string folder) => _folder = folder;

    public static void Install(string folder)
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = new CertificateFonts(folder);
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Files[1] : Files[0]);

    public byte[]? GetFont(string faceName) =>
        Files.Contains(faceName) ? File.ReadAllBytes(Path.Combine(_folder, faceName)) : null;
}
