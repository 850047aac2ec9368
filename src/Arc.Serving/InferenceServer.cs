using System.Net;
using Arc.Hosting;
using Arc.Sdk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Arc.Serving;

/// <summary>
/// Serves one model over HTTP (docs/serving.md): Kestrel with HTTP/1.1 and HTTP/2, seed 004's <c>/invocations</c> and
/// <c>/ping</c>, the Open Inference Protocol v2 REST API under <c>/v2</c>, Prometheus metrics at <c>/metrics</c>, and
/// dynamic batching (<see cref="ServingOptions.MaxBatchSize"/>). It listens at once and loads the model in the
/// background: liveness is immediate, readiness follows the load. <see cref="StopAsync"/> drains requests in flight.
/// </summary>
public sealed class InferenceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedModel _served;
    private readonly ServingOptions _options;
    private readonly Task _load;
    private int _stopped;

    private InferenceServer(WebApplication app, ServedModel served, ServingOptions options, Uri address, Uri? http2Address, Task load)
    {
        Http2Address = http2Address;
        _app = app;
        _served = served;
        _options = options;
        Address = address;
        _load = load;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Where plain HTTP/2 (prior knowledge) is served when <see cref="ServingOptions.Http2Port"/> is set; else null.</summary>
    public Uri? Http2Address { get; }

    /// <summary>The served model's name (<c>/v2/models/{name}</c>).</summary>
    public string ModelName => _served.Name;

    /// <summary>Whether the model is loaded and the server is not stopping.</summary>
    public bool IsReady => _served.IsReady;

    /// <summary>Completes when the model is loaded; faults with the load's exception when it fails (the server keeps answering 503).</summary>
    public Task WhenReady => _load;

    /// <summary>
    /// Starts serving <paramref name="module"/>'s model from <paramref name="modelDirectory"/>. Returns once the server
    /// listens; the model loads in the background (<see cref="WhenReady"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The address is not loopback and the token or certificate is missing.</exception>
    public static async Task<InferenceServer> StartAsync(IInferenceModule module, string modelDirectory, ServingOptions? options = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        options ??= new ServingOptions();
        Check(options);
        ServingCodecs.Register();
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("Arc.Serving");
        var served = new ServedModel(module, options.ModelVersion);
        var metrics = new ServingMetrics();

        var builder = // No reloading of appsettings: it watches the content root (the current directory) recursively with inotify,
        // which cost a worker 25–40 ms per start (docs/performance.md, "Worker cold start") and, from a large tree such as a
        // home directory, can exhaust the user's inotify watches. A settings file there is still read once, at start.
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        // Stopping waits this long for requests in flight (SIGTERM drains rather than cuts).
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout);
        ListenOptions? listener = null, http2 = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                listener = listen;
                // With TLS, ALPN lets each connection choose; without it Kestrel can only speak HTTP/1.1 here.
                listen.Protocols = options.Certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                if (options.Certificate is { } certificate) listen.UseHttps(certificate);
            });
            if (options.Http2Port is { } http2Port)
                kestrel.Listen(options.Address, http2Port, listen =>
                {
                    http2 = listen;
                    listen.Protocols = HttpProtocols.Http2;
                    if (options.Certificate is { } certificate) listen.UseHttps(certificate);
                });
        });
        var app = builder.Build();
        app.Use(RequestMetricsMiddleware.Middleware(metrics));
        if (options.Token is { } token) app.Use(WorkerTokenCheck.Middleware(token));
        Map(app, served, options, metrics, logger);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var address = BoundAddress(listener!, options);
        var load = Task.Run(() =>
        {
            try
            {
                var model = module.Load(modelDirectory, logger);
                served.Loaded(model, new PredictionQueue(module, model, options, metrics));
                logger.LogInformation("model {Model} is ready at {Address}", module.Name, address);
            }
            catch (Exception e)
            {
                served.Failed(e);
                logger.LogError(e, "model {Model} failed to load from {Directory}", module.Name, modelDirectory);
                throw;
            }
        }, CancellationToken.None);
        return new InferenceServer(app, served, options, address, http2 is null ? null : BoundAddress(http2, options), load);
    }

    /// <summary>The address a listener bound (Kestrel writes the port it got into the options when asked for port 0).</summary>
    private static Uri BoundAddress(ListenOptions listen, ServingOptions options)
    {
        var endPoint = listen.IPEndPoint!;
        string host = endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString();
        return new Uri($"{(options.Certificate is null ? "http" : "https")}://{host}:{endPoint.Port}/");
    }

    /// <summary>
    /// Stops: readiness turns false at once, the listener stops taking connections, requests in flight are answered
    /// (for up to <see cref="ServingOptions.DrainTimeout"/>), then the model is freed.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _served.Draining = true;
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(_options.DrainTimeout);
        await _app.StopAsync(drain.Token).ConfigureAwait(false);
        try { await _load.ConfigureAwait(false); }
        catch (Exception) { /* reported by WhenReady and the log; nothing to free */ }
        await _served.StopAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void Map(WebApplication app, ServedModel served, ServingOptions options, ServingMetrics metrics, ILogger logger)
    {
        RequestDelegate Guard(Func<HttpContext, Task> endpoint) => EndpointErrors.Guard(endpoint, logger);
        app.MapPost("/invocations", Guard(c => InvocationEndpoints.InvokeAsync(c, served, options)));
        app.MapGet("/ping", Guard(c => InvocationEndpoints.PingAsync(c, served)));
        app.MapGet("/v2", Guard(OipEndpoints.ServerMetadataAsync));
        app.MapGet("/v2/health/live", Guard(OipEndpoints.LiveAsync));
        app.MapGet("/v2/health/ready", Guard(c => OipEndpoints.ServerReadyAsync(c, served)));
        foreach (var model in new[] { "/v2/models/{name}", "/v2/models/{name}/versions/{version}" })
        {
            app.MapGet(model, Guard(c => OipEndpoints.ModelMetadataAsync(c, served)));
            app.MapGet(model + "/ready", Guard(c => OipEndpoints.ModelReadyAsync(c, served)));
            app.MapPost(model + "/infer", Guard(c => OipEndpoints.InferAsync(c, served, options)));
        }
        app.MapMetrics("/metrics", metrics.Registry);
    }

    /// <summary>Refuses to expose a model unguarded: off loopback it needs a token, and TLS so the token is not sent in clear text.</summary>
    private static void Check(ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Address, nameof(options.Address));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options.MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRequestBytes, 1, nameof(options.MaxRequestBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchDelay, TimeSpan.Zero, nameof(options.BatchDelay));
        if (options.Token is { } token) Arc.Remote.ArcWorkerToken.Validate(token, nameof(options.Token));
        if (IPAddress.IsLoopback(options.Address)) return;
        if (options.Token is null || options.Certificate is null)
            throw new InvalidOperationException(
                $"a model server bound to {options.Address} would be reachable from other machines: it needs a token (--token-file) and TLS " +
                "(--tls-cert, --tls-key) so that the token never crosses the network in clear text; or bind 127.0.0.1");
    }
}
