using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Web;

/// <summary>The token form: the secret typed here goes into the cookie every page reads (the same tokens as the gRPC API).</summary>
internal static class TokenPage
{
    public static Task FormAsync(HttpContext context, TokenCookie tokens) => WriteFormAsync(context, tokens, context.Request.Query["next"].ToString(), null, 200);

    public static async Task SignInAsync(HttpContext context, TokenCookie tokens)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string secret = form["token"].ToString().Trim();
        string next = form["next"].ToString();
        if (tokens.HasTokens && tokens.Find(secret) is null)
        {
            await WriteFormAsync(context, tokens, next, "That is not one of this server's tokens.", StatusCodes.Status401Unauthorized).ConfigureAwait(false);
            return;
        }
        TokenCookie.Set(context, secret);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = SafeNext(next);
    }

    public static Task SignOutAsync(HttpContext context)
    {
        TokenCookie.Clear(context);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = "/token";
        return Task.CompletedTask;
    }

    private static Task WriteFormAsync(HttpContext context, TokenCookie tokens, string next, string? error, int status)
    {
        var caller = tokens.CallerOf(context);
        string body = (tokens.HasTokens ? "" : "<p>This server asks for no token: everyone on this machine reads and writes.</p>")
            + (error is null ? "" : $"<p role=\"alert\" class=\"error\">{Html.E(error)}</p>")
            + "<form method=\"post\" action=\"/token\"><input type=\"hidden\" name=\"next\" value=\"" + Html.E(next) + "\">"
            + "<label for=\"token\">Token</label> <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required> "
            + "<button type=\"submit\">Use this token</button></form>"
            + (caller?.Token is null ? "" : "<form method=\"post\" action=\"/token/clear\"><button type=\"submit\">Forget the token</button></form>");
        return Layout.WriteAsync(context, caller, "Token", body, status);
    }

    /// <summary>Only a path on this server (never another site: an open redirect would hand the signed-in browser away).</summary>
    private static string SafeNext(string next) => next.StartsWith('/') && !next.StartsWith("//", StringComparison.Ordinal) && !next.Contains('\\') ? next : "/";
}
