using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Web;

/// <summary>The stylesheet and the one script, embedded in the assembly and served from memory (no CDN, no files to deploy).</summary>
internal static class StaticAssets
{
    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Assets = Load();

    public static Task ServeAsync(HttpContext context)
    {
        string name = (string)context.Request.RouteValues["name"]!;
        if (!Assets.TryGetValue(name, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        context.Response.ContentType = asset.Type;
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        const string prefix = "Arc.Tracking.Web.Assets.";
        var assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            string name = resource[prefix.Length..];
            assets[name] = (copy.ToArray(), name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
