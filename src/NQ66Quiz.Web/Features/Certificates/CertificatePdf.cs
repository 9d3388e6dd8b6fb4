using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace NQ66Quiz.Web.Features.Certificates;

/// <summary>A certificate as one A4 landscape page: who, which unit, which prize, which contest, and the code to verify it.</summary>
public static class CertificatePdf
{
    public static byte[] Render(Certificate certificate, string verifyUrl)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"Giấy chứng nhận {certificate.Code}";
        document.Info.Author = "Ban tổ chức cuộc thi";
        var page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Landscape;
        using (var g = XGraphics.FromPdfPage(page))
        {
            var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
            XFont Font(double size, bool bold = false) => new(CertificateFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, options);
            var w = page.Width.Point;
            var h = page.Height.Point;
            var red = new XSolidBrush(XColor.FromArgb(0xB0, 0x1E, 0x23));
            g.DrawRectangle(new XPen(XColor.FromArgb(0xB0, 0x1E, 0x23), 4), 24, 24, w - 48, h - 48);
            g.DrawRectangle(new XPen(XColor.FromArgb(0xC9, 0xA2, 0x27), 1.5), 34, 34, w - 68, h - 68);

            void Line(string text, double y, XFont font, XBrush? brush = null) =>
                g.DrawString(text, font, brush ?? XBrushes.Black, new XRect(60, y, w - 120, font.Size * 1.5), XStringFormats.TopCenter);

            Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 60, Font(13, bold: true));
            Line("Độc lập – Tự do – Hạnh phúc", 80, Font(12));
            Line("GIẤY CHỨNG NHẬN", 130, Font(34, bold: true), red);
            Line(certificate.Kind == CertificateKinds.Individual ? "Ban tổ chức cuộc thi chứng nhận" : "Ban tổ chức cuộc thi chứng nhận tập thể", 190, Font(14));
            Line(certificate.RecipientName, 215, Font(26, bold: true));
            if (certificate.Kind == CertificateKinds.Individual)
            {
                Line(certificate.UnitName, 255, Font(14));
            }
            Line($"đã đạt {certificate.PrizeName}", 290, Font(20, bold: true), red);
            Line(certificate.RoundNumber is { } n ? $"Tuần thi thứ {n} — cuộc thi “{certificate.ContestName}”" : $"Cuộc thi “{certificate.ContestName}”", 330, Font(14));
            Line($"Hà Nội, {VietnamTime.ToLocal(certificate.IssuedAt).ToString("'ngày' dd 'tháng' MM 'năm' yyyy", CultureInfo.InvariantCulture)}", 380, Font(12));
            Line($"Mã xác thực: {certificate.Code}", h - 110, Font(13, bold: true));
            Line($"Kiểm tra tại {verifyUrl}", h - 88, Font(11));
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }
}
