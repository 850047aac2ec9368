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
/// A worker: Kestrel serving <c>arc.Model</c> for one model over gRPC on cleartext HTTP/2 (h2c — the worker sits
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

    /// <summary>Starts a worker serving <paramref name="handler"/> and returns once it accepts connections.</summary>
    public static async Task<ArcWorkerHost> StartAsync<X, Y>(IRemoteModelHandler<X, Y> handler, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(handler);
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
        builder.Services.AddSingleton(handler);
        builder.Services.AddSingleton<ArcModelService<X, Y>>();
        builder.Services.AddSingleton<IServiceMethodProvider<ArcModelService<X, Y>>, ArcModelServiceMethodProvider<X, Y>>();

        var app = builder.Build();
        app.MapGrpcService<ArcModelService<X, Y>>();
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
