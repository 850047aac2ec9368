using System.Net;
using Arc.Tracking.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Arc.Tracking.Web;

/// <summary>
/// The web UI of a tracking store on Kestrel over HTTP/1.1 (browsers do not speak the plain-text HTTP/2 of the gRPC port,
/// hence a port of its own): namespaces, experiments, models, the event feed. <c>arc server start</c> runs it next to
/// the <see cref="TrackingServer"/> on the same store.
/// </summary>
/// <remarks>The server owns neither store: dispose the server first, then the stores.</remarks>
public sealed class TrackingWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pictures;
    private int _disposed;

    private TrackingWebServer(WebApplication app, Uri address, PicturesWhenEnded? pictures)
    {
        _app = app;
        Address = address;
        _pictures = pictures is null ? Task.CompletedTask : Task.Run(() => pictures.RunAsync(_stop.Token));
    }

    /// <summary>Where the pages are (<c>http://127.0.0.1:port/</c>), with the port the system picked when it was 0.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts serving the pages of <paramref name="store"/>; file contents (downloads, pictures) come from
    /// <paramref name="blobs"/>, and without one files are listed but not served.
    /// </summary>
    /// <exception cref="InvalidOperationException">The address is not a loopback address and tokens or the certificate are missing.</exception>
    /// <exception cref="ArgumentException">Two tokens share a name or a secret.</exception>
    public static async Task<TrackingWebServer> StartAsync(IMetadataStore store, IBlobStore? blobs, TrackingWebOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new TrackingWebOptions();
        RefuseAnExposedServer(options);
        var site = new WebSite(store, blobs, options);

        var builder = // No reloading of appsettings: it watches the content root (the current directory) recursively with inotify,
        // which cost a worker 25–40 ms per start (docs/performance.md, "Worker cold start") and, from a large tree such as a
        // home directory, can exhaust the user's inotify watches. A settings file there is still read once, at start.
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        ListenOptions? listener = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Address, options.Port, listen =>
        {
            listener = listen;
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            if (options.Certificate is { } certificate) listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        site.Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var endPoint = listener!.IPEndPoint!;
        string host = endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString();
        var pictures = options.PicturesWhenEnded && blobs is not null ? new PicturesWhenEnded(store, blobs, options.LivePollInterval) : null;
        return new TrackingWebServer(app, new Uri($"{(options.Certificate is null ? "http" : "https")}://{host}:{endPoint.Port}/"), pictures);
    }

    /// <summary>The gRPC service's rule: pages reachable from other machines need tokens and TLS.</summary>
    private static void RefuseAnExposedServer(TrackingWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Address, nameof(options.Address));
        ArgumentNullException.ThrowIfNull(options.Tokens, nameof(options.Tokens));
        if (IPAddress.IsLoopback(options.Address)) return;
        if (options.Tokens.Count == 0)
            throw new InvalidOperationException($"the web UI bound to {options.Address} would be reachable from other machines with no token; configure tokens or bind 127.0.0.1");
        if (options.Certificate is null)
            throw new InvalidOperationException($"the web UI bound to {options.Address} needs TLS, or the token cookie would cross the network in clear text; configure a certificate or bind 127.0.0.1");
    }

    /// <summary>Stops serving (live pages end) and releases the port. Disposing twice does nothing more.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pictures.ConfigureAwait(false);
        _stop.Dispose();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
