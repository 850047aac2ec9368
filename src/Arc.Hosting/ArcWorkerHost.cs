using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Arc.Remote;
using Arc.Types;

namespace Arc.Hosting;

/// <summary>
/// A worker: Kestrel serving one <see cref="WorkerService"/> — <c>arc.Model</c> for one model, <c>arc.Job</c> for one
/// job or <c>arc.Pod</c> for a set of pods — over gRPC on HTTP/2: cleartext (h2c) on loopback, TLS anywhere else. Every
/// call must carry the deployment's token (<see cref="Token"/>); the host also bounds connections, streams and queued
/// calls (<see cref="ArcWorkerOptions"/>). Start it with <see cref="StartAsync(WorkerService, ArcWorkerOptions?, CancellationToken)"/>,
/// read <see cref="Address"/> and <see cref="Token"/> (or <see cref="ClientOptions"/>), dispose it to stop.
/// </summary>
public sealed class ArcWorkerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <summary>The host's services (tests look at its configuration).</summary>
    internal IServiceProvider Services => _app.Services;
    private readonly IAsyncDisposable? _owned;
    private int _disposed;

    private ArcWorkerHost(WebApplication app, Uri address, string token, X509Certificate2? certificate, IAsyncDisposable? owned)
    {
        _app = app;
        _owned = owned;
        Address = address;
        Token = token;
        Certificate = certificate;
    }

    /// <summary>The URL a client connects to, e.g. <c>http://127.0.0.1:41234</c> (<c>https://</c> when serving TLS).</summary>
    public Uri Address { get; }

    /// <summary>The token callers must send: <see cref="ArcWorkerOptions.Token"/>, or the one the host generated.</summary>
    public string Token { get; }

    /// <summary>The certificate the host serves TLS with; null on loopback without TLS.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>What a client of this host needs besides its address: the token, and the certificate to pin.</summary>
    public ArcChannelOptions ClientOptions => new() { Token = Token, ServerCertificate = Certificate };

    /// <summary>The bound port (the OS's choice when the options asked for port 0).</summary>
    public int Port => Address.Port;

    /// <summary>
    /// Starts a worker serving <paramref name="service"/> (a model, a job or pods: <see cref="WorkerService"/>) and
    /// returns once it accepts connections. The host owns <see cref="WorkerService.Owned"/> from now on: it is disposed
    /// after the host stops, or at once if starting fails.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options bind a non-loopback address without a certificate.</exception>
    public static Task<ArcWorkerHost> StartAsync(WorkerService service, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        return StartCoreAsync(service.Register, service.Map, service.Owned, options, checkToken: true, cancellationToken);
    }

    /// <summary>Starts a worker serving <paramref name="handler"/> as <c>arc.Model</c> (<see cref="WorkerService.Model{X, Y}"/>); the caller keeps the handler.</summary>
    public static Task<ArcWorkerHost> StartAsync<X, Y>(IRemoteModelHandler<X, Y> handler, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
        => StartAsync(WorkerService.Model(handler), options, cancellationToken);

    /// <summary>
    /// Starts a worker serving <paramref name="handler"/> as <c>arc.Model</c> WITHOUT the token check: it serves every
    /// call, whoever sends it. It exists only so that bench/Arc.Bench can measure what the token check costs, beside a
    /// worker that checks it (the <c>remote</c> group). It is internal (visible to Arc.Bench and the tests alone), binds
    /// loopback only, and no public option, environment variable or program reaches it: every worker Arc starts
    /// requires its token.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options bind an address other than loopback.</exception>
    internal static Task<ArcWorkerHost> StartWithoutTokenForBenchmarkAsync<X, Y>(IRemoteModelHandler<X, Y> handler, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        var service = WorkerService.Model(handler);
        if (options is not null && !IPAddress.IsLoopback(options.Address))
            throw new InvalidOperationException($"a worker without a token serves loopback only, not {options.Address}");
        return StartCoreAsync(service.Register, service.Map, owned: null, options, checkToken: false, cancellationToken);
    }

    /// <summary>Starts a worker serving <paramref name="handler"/> as <c>arc.Job</c> (<see cref="WorkerService.Job{X, Y}"/>); the caller keeps the handler.</summary>
    public static Task<ArcWorkerHost> StartJobAsync<X, Y>(IRemoteJobHandler<X, Y> handler, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
        => StartAsync(WorkerService.Job(handler), options, cancellationToken);

    /// <summary>Starts a worker serving <paramref name="handler"/>'s pods as <c>arc.Pod</c> (<see cref="WorkerService.Pods"/>); the caller keeps the handler.</summary>
    public static Task<ArcWorkerHost> StartPodsAsync(IRemotePodHandler handler, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
        => StartAsync(WorkerService.Pods(handler), options, cancellationToken);

    /// <summary>
    /// Starts a worker host serving whatever gRPC services <paramref name="addServices"/> registers and
    /// <paramref name="mapServices"/> maps, on Kestrel with the token, TLS and limits of <paramref name="options"/> — for
    /// hosts that serve several services on one port (the develop-mode worker serves <c>arc.Develop</c> beside
    /// <c>arc.Model</c>). Every mapped endpoint requires the token. Returns once it accepts connections.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options bind a non-loopback address without a certificate.</exception>
    public static Task<ArcWorkerHost> StartServicesAsync(Action<IServiceCollection> addServices, Action<WebApplication> mapServices,
        ArcWorkerOptions? options = null, CancellationToken cancellationToken = default)
        => StartCoreAsync(addServices, mapServices, owned: null, options, checkToken: true, cancellationToken);

    /// <summary>
    /// The host of every start method; <paramref name="owned"/> is disposed after the host stops, or at once when starting
    /// fails. <paramref name="checkToken"/> is false only for <see cref="StartWithoutTokenForBenchmarkAsync{X, Y}"/>.
    /// </summary>
    private static async Task<ArcWorkerHost> StartCoreAsync(Action<IServiceCollection> addServices, Action<WebApplication> mapServices,
        IAsyncDisposable? owned, ArcWorkerOptions? options, bool checkToken, CancellationToken cancellationToken)
    {
        try
        {
            return await StartKestrelAsync(addServices, mapServices, owned, options, checkToken, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<ArcWorkerHost> StartKestrelAsync(Action<IServiceCollection> addServices, Action<WebApplication> mapServices,
        IAsyncDisposable? owned, ArcWorkerOptions? options, bool checkToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addServices);
        ArgumentNullException.ThrowIfNull(mapServices);
        options ??= new ArcWorkerOptions();
        options = options with { Token = options.Token ?? ArcWorkerToken.Generate() };
        ArcWorkerToken.Validate(options.Token!, nameof(options));
        if (options.Certificate is null && !IPAddress.IsLoopback(options.Address))
            throw new InvalidOperationException(
                $"a worker bound to {options.Address} is reachable from other machines and serves TLS only: set ArcWorkerOptions.Certificate " +
                "(the Kubernetes target makes one per deployment), or bind 127.0.0.1");

        var builder = // No reloading of appsettings: it watches the content root (the current directory) recursively with inotify,
        // which cost a worker 25–40 ms per start (docs/performance.md, "Worker cold start") and, from a large tree such as a
        // home directory, can exhaust the user's inotify watches. A settings file there is still read once, at start.
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.Certificate is { } certificate) listen.UseHttps(certificate);
            });
            WorkerLimits.ApplyTo(kestrel.Limits, options);
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageBytes;
            grpc.MaxSendMessageSize = options.MaxSendMessageBytes;
            grpc.EnableDetailedErrors = false; // model errors travel in Arc's trailers, anything else stays on the worker
        });
        WorkerLimits.AddCallLimiter(builder.Services, options);
        addServices(builder.Services);

        var app = builder.Build();
        // Order matters: a call's token is checked before it may wait for a slot, and both happen before gRPC reads its body.
        if (checkToken) app.Use(WorkerTokenCheck.Middleware(options.Token!));
        app.UseRateLimiter();
        app.Use(WorkerLimits.DefaultDeadline(options.DefaultCallDeadline));
        mapServices(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ArcWorkerHost(app, new Uri(bound), options.Token!, options.Certificate, owned);
    }

    /// <summary>
    /// Stops accepting calls, lets running ones finish briefly, releases the port, then frees what the host owns
    /// (<see cref="WorkerService.Owned"/>). Disposing twice does nothing more.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_owned is not null) await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
