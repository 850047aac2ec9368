using System.Net;
using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Web;

/// <summary>
/// Who sent a request, as far as the browser says. A form posted from another site's page (cross-site request forgery)
/// is refused: the cookie is SameSite=Strict, but an open server (no tokens) needs no cookie at all. And an open server
/// answers only to its loopback names, so that a page on a hostile site that rebinds its own name to 127.0.0.1 (DNS
/// rebinding) cannot read it.
/// </summary>
internal static class RequestOrigin
{
    /// <summary>Why a request is refused (403), or null: a post must come from this site's own pages.</summary>
    public static string? Refusal(HttpContext context, bool open)
    {
        var request = context.Request;
        if (open && !IsLoopbackName(request.Host.Host))
            return $"this server has no tokens and answers only to 127.0.0.1, [::1] or localhost, not '{request.Host.Host}'";
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) return null;
        // Browsers send both on a post; either one naming another site refuses it. A client without them (curl) is not a
        // browser page and carries its own token.
        string fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none"))
            return "a change must be posted from this server's own pages";
        string origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
            return "a change must be posted from this server's own pages";
        return null;
    }

    private static bool IsLoopbackName(string host)
        => host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
