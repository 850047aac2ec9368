using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// A HOSTILE registry, a test double: a real Kestrel server on 127.0.0.1 (HTTP, or HTTPS with a test CA's certificate)
/// whose every answer is written by the test through <see cref="Handler"/>, to play a registry that misbehaves on
/// purpose — huge declared sizes, endless tag pages, <c>Link</c>/<c>Location</c>/redirects to other origins or from HTTPS
/// to HTTP, bodies that stall or trickle. No real registry does these things on demand, hence the double. It answers
/// <c>GET /v2/</c> with 200 unless the handler takes it, anything else unhandled with 404, and records every request.
/// </summary>
public sealed class HostileRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SeenRequest> _requests = new();

    private HostileRegistry(WebApplication app) => _app = app;

    /// <summary>One request as received.</summary>
    public sealed record SeenRequest(string Method, string PathAndQuery, string? Authorization);

    /// <summary>Answers a request and returns true, or returns false to leave it to the defaults.</summary>
    public Func<HttpContext, Task<bool>>? Handler { get; set; }

    /// <summary><c>host:port</c>, as a registry reference names it.</summary>
    public string Host { get; private set; } = "";

    /// <summary>The origin, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Origin { get; private set; } = "";

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<SeenRequest> Requests => _requests.ToList();

    /// <summary>Starts the server on a free port of 127.0.0.1; HTTPS with <paramref name="certificate"/> when given.</summary>
    public static async Task<HostileRegistry> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var registry = new HostileRegistry(app);
        app.Run(registry.AnswerAsync);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        registry.Host = $"127.0.0.1:{address.Port}";
        registry.Origin = $"{address.Scheme}://127.0.0.1:{address.Port}";
        return registry;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue(new SeenRequest(request.Method, request.Path + request.QueryString,
            request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null));
        try
        {
            if (Handler is { } handler && await handler(context)) return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        if (request.Path == "/v2/")
        {
            await context.Response.WriteAsJsonAsync(new { });
            return;
        }
        context.Response.StatusCode = 404;
    }

    /// <summary>Requests whose path starts with <paramref name="prefix"/>.</summary>
    public int CountRequests(string prefix) => Requests.Count(r => r.PathAndQuery.StartsWith(prefix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        // Requests a test left stalling are aborted after a short grace period rather than awaited.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
    }
}
