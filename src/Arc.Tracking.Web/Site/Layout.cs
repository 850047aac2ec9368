using System.Text;
using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Web;

/// <summary>
/// The frame of every page: a skip link (keyboard users land on the content with one Tab), the navigation, the main
/// region, the stylesheet and the one script, both served by this server.
/// </summary>
internal static class Layout
{
    public static Task WriteAsync(HttpContext context, WebCaller? caller, string title, string body, int status = StatusCodes.Status200OK)
    {
        var page = new StringBuilder(body.Length + 1024);
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Html.E(title)).Append(" · Arc tracking</title>")
            .Append("<link rel=\"stylesheet\" href=\"/assets/site.css\"><script src=\"/assets/live.js\" defer></script></head><body>")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
            .Append("<header><nav aria-label=\"Site\"><a href=\"/\">Namespaces</a> <a href=\"/events\">Events</a> <a href=\"/token\">Token</a>")
            .Append(caller?.Token is { } token ? $" <span class=\"who\">signed in as {Html.E(token.Name)}</span>" : "")
            .Append("</nav></header><main id=\"main\" tabindex=\"-1\"><h1>").Append(Html.E(title)).Append("</h1>")
            .Append(body)
            .Append("</main></body></html>");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(page.ToString(), context.RequestAborted);
    }
}
