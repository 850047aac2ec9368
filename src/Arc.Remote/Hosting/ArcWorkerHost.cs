using Arc.Types;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arc.Remote;

/// <summary>
/// A worker: Kestrel serving <c>arc.Model</c> for one model (or <c>arc.Job</c> for one job, <see cref="StartJobAsync{X, Y}"/>, or <c>arc.Pod</c> for a set of pods, <see cref="StartPodsAsync"/>) over gRPC on cleartext HTTP/2 (h2c — the worker sits
/// behind loopback, a pod network or a mesh that does TLS). Start it with <see cref="StartAsync{X, Y}"/>, read the
/// bound <see cref="Port"/>, dispose it to stop.
/// </summary>
public sealed class ArcWorkerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ArcWorkerHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The URL a client connects to, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>The bound port (the OS's choice when the options asked for port 0).</summary>
    public int Port => Address.Port;

    /// <summary>Starts a worker serving <paramref name="handler"/> as <c>arc.Model</c> and returns once it accepts connections.</summary>
    public static Task<ArcWorkerHost> StartAsync<X, Y>(IRemoteModelHandler<X, Y> handler, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(handler);
        return StartServiceAsync<ArcModelService<X, Y>, ArcModelServiceMethodProvider<X, Y>>(
            services => services.AddSingleton(handler), options, cancellationToken);
    }

    /// <summary>Starts a worker serving <paramref name="handler"/> as <c>arc.Job</c> and returns once it accepts connections.</summary>
    public static Task<ArcWorkerHost> StartJobAsync<X, Y>(IRemoteJobHandler<X, Y> handler, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(handler);
        return StartServiceAsync<ArcJobService<X, Y>, ArcJobServiceMethodProvider<X, Y>>(
            services => services.AddSingleton(handler), options, cancellationToken);
    }

    /// <summary>Starts a worker serving <paramref name="handler"/>'s pods as <c>arc.Pod</c> and returns once it accepts connections.</summary>
    public static Task<ArcWorkerHost> StartPodsAsync(IRemotePodHandler handler, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return StartServiceAsync<ArcPodService, ArcPodServiceMethodProvider>(
            services => services.AddSingleton(handler), options, cancellationToken);
    }

    /// <summary>Kestrel on h2c with gRPC limits from <paramref name="options"/>, serving one Arc service.</summary>
    private static Task<ArcWorkerHost> StartServiceAsync<TService, TProvider>(Action<IServiceCollection> addHandler,
        ArcWorkerOptions? options, CancellationToken cancellationToken)
        where TService : class
        where TProvider : class, IServiceMethodProvider<TService>
        => StartServicesAsync(services =>
            {
                addHandler(services);
                services.AddSingleton<TService>();
                services.AddSingleton<IServiceMethodProvider<TService>, TProvider>();
            },
            app => app.MapGrpcService<TService>(), options, cancellationToken);

    /// <summary>
    /// Starts a worker host serving whatever gRPC services <paramref name="addServices"/> registers and
    /// <paramref name="mapServices"/> maps, on Kestrel with h2c and the limits of <paramref name="options"/> — for
    /// hosts that serve several services on one port (the develop-mode worker serves <c>arc.Develop</c> beside
    /// <c>arc.Model</c>). Returns once it accepts connections.
    /// </summary>
    public static async Task<ArcWorkerHost> StartServicesAsync(Action<IServiceCollection> addServices, Action<WebApplication> mapServices,
        ArcWorkerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addServices);
        ArgumentNullException.ThrowIfNull(mapServices);
        options ??= new ArcWorkerOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Address, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
            // Kestrel's own body limit is for HTTP/1 uploads; gRPC's message limits below are the ones that apply.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageBytes;
            grpc.MaxSendMessageSize = options.MaxSendMessageBytes;
            grpc.EnableDetailedErrors = false; // model errors travel in Arc's trailers, anything else stays on the worker
        });
        addServices(builder.Services);

        var app = builder.Build();
        mapServices(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ArcWorkerHost(app, new Uri(bound));
    }

    /// <summary>Stops accepting calls, lets running ones finish briefly, and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
    }
}
