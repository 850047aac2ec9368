using Arc.Remote;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arc.Worker.Develop;

/// <summary>
/// Develop mode (<c>ARC_WORKER_DEVELOP=1</c>): the worker starts with no user code and serves <c>arc.Develop</c>
/// (blob store, reload) beside <c>arc.Model</c> (routed to the last reloaded model) on one port. Its files live in a
/// fresh temporary folder, removed when the worker stops. See docs/develop-mode.md.
/// </summary>
internal static class DevelopWorker
{
    /// <summary>The largest file one <c>PutBlob</c> may carry: the message limit, less room for the envelope.</summary>
    public const long MaxBlobBytes = ArcWorkerOptions.DefaultMaxMessageBytes - 1024 * 1024;

    public static bool IsRequested => Environment.GetEnvironmentVariable("ARC_WORKER_DEVELOP") == "1";

    public static async Task<ServedThing> StartAsync(CancellationToken cancellationToken)
    {
        string root = Path.Combine(Path.GetTempPath(), $"arc-develop-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var store = new BlobStore(Path.Combine(root, "blobs"), MaxBlobBytes);
        var shared = SharedFiles.OfThisProcess();
        var model = new ReloadableModel(store, Path.Combine(root, "versions"), shared, line => Console.Error.WriteLine("develop: " + line));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = ArcWorkerOptions.DefaultMaxMessageBytes;
            grpc.MaxSendMessageSize = ArcWorkerOptions.DefaultMaxMessageBytes;
            grpc.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton(model).AddSingleton(store).AddSingleton(shared);
        builder.Services.AddSingleton<DevelopModelService>();
        builder.Services.AddSingleton<IServiceMethodProvider<DevelopModelService>, DevelopModelServiceMethodProvider>();
        builder.Services.AddSingleton<DevelopService>();
        builder.Services.AddSingleton<IServiceMethodProvider<DevelopService>, DevelopServiceMethodProvider>();

        var app = builder.Build();
        app.MapGrpcService<DevelopModelService>();
        app.MapGrpcService<DevelopService>();
        var server = new DevelopServer(app, model, root);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new ServedThing(bound.Port, server);
    }

    /// <summary>Stops the server, then frees the model and the worker's files.</summary>
    private sealed class DevelopServer(WebApplication app, ReloadableModel model, string root) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                await app.StopAsync(grace.Token);
            await app.DisposeAsync();
            await model.DisposeAsync();
            try { Directory.Delete(root, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"develop: could not remove {root}: {e.Message}"); }
        }
    }
}
