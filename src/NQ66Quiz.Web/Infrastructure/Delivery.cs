using System.IO.Compression;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>
/// How bytes leave the app: compressed responses (Brotli, else gzip) and cache headers for static files. A page
/// references its CSS and scripts with <c>asp-append-version</c> (<c>/css/site.css?v=HASH</c>); such a URL names one
/// version of the file for ever, so it is cached for a year as immutable. Any other static URL (no version, or a
/// version that is not the file's current one, as from a node not yet updated) is revalidated on each use.
/// </summary>
public static class Delivery
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string Revalidate = "no-cache";

    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            // Behind TLS too: pages carry antiforgery tokens, which are encrypted afresh for every response, so they
            // give a BREACH-style attacker nothing to converge on; responses that show a one-time secret (reset codes)
            // opt out through IHttpsCompressionFeature.
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["image/svg+xml", "application/problem+json", "text/csv"]);
        });
        // Optimal is Brotli quality 4 and gzip level 6: cheap enough per rendered page, while Fastest (Brotli quality 1)
        // left the small test home page at 53 % of its size against 47 % here (DeliveryTests prints the sizes).
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        // UseStaticFiles() reads these options, so Program.cs keeps its one line.
        services.AddOptions<StaticFileOptions>().Configure(o => o.OnPrepareResponse = SetCacheHeaders);
        return services;
    }

    private static void SetCacheHeaders(StaticFileResponseContext context)
    {
        var http = context.Context;
        var version = http.Request.Query["v"];
        var immutable = version.Count == 1 && !string.IsNullOrEmpty(version[0])
            && version[0] == CurrentVersion(http, http.Request.Path.Value ?? "");
        http.Response.Headers[HeaderNames.CacheControl] = immutable ? Immutable : Revalidate;
    }

    /// <summary>The <c>v</c> that <c>asp-append-version</c> writes for this file now (its content hash).</summary>
    private static string? CurrentVersion(HttpContext http, string path)
    {
        var versioned = http.RequestServices.GetRequiredService<IFileVersionProvider>().AddFileVersionToPath(http.Request.PathBase, path);
        var at = versioned.IndexOf("?v=", StringComparison.Ordinal);
        return at < 0 ? null : versioned[(at + 3)..];
    }
}
