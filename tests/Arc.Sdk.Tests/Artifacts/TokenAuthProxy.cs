using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// A TOKEN SERVICE and authenticating front, a test double for the distribution token flow: docker-registry's own
/// <c>token</c> auth needs a separate authorization server, which Debian does not package, so this Kestrel server on
/// 127.0.0.1 plays both parts in front of a real <see cref="DockerRegistryFixture"/>. <c>GET /token</c> is the realm: it
/// checks Basic credentials (<see cref="Username"/>/<see cref="Password"/>) or an OAuth2 refresh-token POST
/// (<see cref="IdentityToken"/>) and issues a random token for the scope asked. Every <c>/v2/</c> request needs a
/// token covering its repository and action (pull for GET/HEAD, push otherwise), else 401 with a
/// <c>WWW-Authenticate: Bearer realm,service,scope</c> challenge; authorized requests are proxied to the registry.
/// </summary>
public sealed partial class TokenAuthProxy : IAsyncDisposable
{
    public const string Username = "token-user";
    public const string Password = "token-password";
    public const string IdentityToken = "refresh-token-for-tests";
    public const string Service = "arc-test-registry";

    private readonly WebApplication _app;
    private readonly string _upstream;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentQueue<string> _tokenRequests = new();

    private TokenAuthProxy(WebApplication app, string upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    /// <summary><c>host:port</c> of the front, as a registry reference names it.</summary>
    public string Host { get; private set; } = "";

    /// <summary>The scope of every token request, in order (how the client's cache is measured).</summary>
    public IReadOnlyList<string> TokenRequests => _tokenRequests.ToList();

    /// <summary>Whether a token request without credentials gets a pull-only token (as public repositories on Docker Hub).</summary>
    public bool AnonymousPull { get; set; }

    public static async Task<TokenAuthProxy> StartAsync(string upstreamRegistry)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var proxy = new TokenAuthProxy(app, upstreamRegistry);
        app.Run(proxy.AnswerAsync);
        await app.StartAsync();
        proxy.Host = $"127.0.0.1:{new Uri(app.Urls.First()).Port}";
        return proxy;
    }

    [GeneratedRegex("^/v2/(?<name>.+?)/(blobs|manifests|tags)/")]
    private static partial Regex RepositoryPath();

    private async Task AnswerAsync(HttpContext context)
    {
        if (context.Request.Path == "/token")
        {
            await IssueTokenAsync(context);
            return;
        }
        var match = RepositoryPath().Match(context.Request.Path.Value ?? "");
        string? need = match.Success
            ? $"repository:{match.Groups["name"].Value}:{(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? "pull" : "pull,push")}"
            : null;
        string authorization = context.Request.Headers.Authorization.ToString();
        bool allowed = authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            && _tokens.TryGetValue(authorization["Bearer ".Length..], out var granted)
            && (need is null || Covers(granted, need));
        if (!allowed)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate =
                $"Bearer realm=\"http://{Host}/token\",service=\"{Service}\"" + (need is null ? "" : $",scope=\"{need}\"");
            await context.Response.WriteAsJsonAsync(new { errors = new[] { new { code = "UNAUTHORIZED", message = "authentication required" } } });
            return;
        }
        await ForwardAsync(context);
    }

    private static bool Covers(string granted, string need)
    {
        // "repository:<name>:pull,push" covers "repository:<name>:pull"; another repository covers nothing.
        int split = need.LastIndexOf(':');
        if (!granted.StartsWith(need[..(split + 1)], StringComparison.Ordinal)) return false;
        var actions = granted[(split + 1)..].Split(',');
        return need[(split + 1)..].Split(',').All(actions.Contains);
    }

    private async Task IssueTokenAsync(HttpContext context)
    {
        string scope = context.Request.Query["scope"].ToString();
        bool authenticated;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var form = await context.Request.ReadFormAsync();
            scope = form["scope"].ToString();
            authenticated = form["grant_type"] == "refresh_token" && form["refresh_token"] == IdentityToken;
        }
        else
        {
            string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
            string given = context.Request.Headers.Authorization.ToString();
            if (given.Length > 0 && given != expected)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { errors = new[] { new { code = "UNAUTHORIZED", message = "invalid username or password" } } });
                _tokenRequests.Enqueue(scope);
                return;
            }
            authenticated = given.Length > 0;
        }
        _tokenRequests.Enqueue(scope);
        if (!authenticated && !(AnonymousPull && scope.EndsWith(":pull", StringComparison.Ordinal)))
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { errors = new[] { new { code = "UNAUTHORIZED", message = "authentication required" } } });
            return;
        }
        string token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        _tokens[token] = scope;
        await context.Response.WriteAsJsonAsync(new { token, expires_in = 300 });
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), $"http://{_upstream}{context.Request.Path}{context.Request.QueryString}");
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0 || HttpMethods.IsPut(context.Request.Method) || HttpMethods.IsPatch(context.Request.Method))
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
            foreach (var header in context.Request.Headers.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        }
        foreach (var header in context.Request.Headers.Where(h => h.Key is "Accept"))
            request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        // The registry builds Location URLs from Host: make them point back at this front.
        request.Headers.Host = Host;
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is "Transfer-Encoding" or "Connection") continue;
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }
        await response.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        // Requests a test left stalling are aborted after a short grace period rather than awaited.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
