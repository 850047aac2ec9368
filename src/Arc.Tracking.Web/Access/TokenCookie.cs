using System.Security.Cryptography;
using System.Text;
using Arc.Tracking.Server;
using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Web;

/// <summary>
/// The token a browser presents: the secret typed into the token form, kept in an HTTP-only, same-site-strict cookie
/// (scripts cannot read it, and other sites' forms cannot post with it).
/// </summary>
internal sealed class TokenCookie(IReadOnlyList<TrackingToken> tokens)
{
    public const string Name = "arc_token";

    private readonly Dictionary<string, TrackingToken> _byHash = Index(tokens);

    public bool HasTokens => _byHash.Count > 0;

    /// <summary>The caller of a request: open when there are no tokens; null when the cookie names no token.</summary>
    public WebCaller? CallerOf(HttpContext context)
    {
        if (!HasTokens) return new WebCaller(null, open: true);
        return context.Request.Cookies.TryGetValue(Name, out string? secret) && Find(secret) is { } token ? new WebCaller(token, open: false) : null;
    }

    public TrackingToken? Find(string? secret) => secret is null ? null : _byHash.GetValueOrDefault(Hash(secret));

    public static void Set(HttpContext context, string secret) => context.Response.Cookies.Append(Name, secret, new CookieOptions
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
    });

    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(Name, new CookieOptions { Path = "/" });

    private static Dictionary<string, TrackingToken> Index(IReadOnlyList<TrackingToken> tokens)
    {
        var byHash = new Dictionary<string, TrackingToken>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            ArgumentNullException.ThrowIfNull(token);
            if (!names.Add(token.Name)) throw new ArgumentException($"two tokens are named '{token.Name}': give each its own name", nameof(tokens));
            if (!byHash.TryAdd(Hash(token.Secret), token)) throw new ArgumentException($"tokens '{byHash[Hash(token.Secret)].Name}' and '{token.Name}' have the same secret", nameof(tokens));
        }
        return byHash;
    }

    // Looked up by hash, as the gRPC service does, so the comparison's time says nothing about the secrets.
    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
