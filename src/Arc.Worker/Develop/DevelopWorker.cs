using Arc.Remote;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

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

    public static async Task<ServedThing> StartAsync(ArcWorkerOptions listen, CancellationToken cancellationToken)
    {
        string root = Path.Combine(Path.GetTempPath(), $"arc-develop-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var store = new BlobStore(Path.Combine(root, "blobs"), MaxBlobBytes);
        var shared = SharedFiles.OfThisProcess();
        var model = new ReloadableModel(store, Path.Combine(root, "versions"), shared, line => Console.Error.WriteLine("develop: " + line));

        ArcWorkerHost host;
        try
        {
            host = await ArcWorkerHost.StartServicesAsync(services =>
                {
                    services.AddSingleton(model).AddSingleton(store).AddSingleton(shared);
                    services.AddSingleton<DevelopModelService>();
                    services.AddSingleton<IServiceMethodProvider<DevelopModelService>, DevelopModelServiceMethodProvider>();
                    services.AddSingleton<DevelopService>();
                    services.AddSingleton<IServiceMethodProvider<DevelopService>, DevelopServiceMethodProvider>();
                },
                app =>
                {
                    app.MapGrpcService<DevelopModelService>();
                    app.MapGrpcService<DevelopService>();
                }, listen, cancellationToken);
        }
        catch
        {
            await new DevelopServer(null, model, root).DisposeAsync();
            throw;
        }
        return new ServedThing(host.Port, new DevelopServer(host, model, root));
    }

    /// <summary>Stops the server, then frees the model and the worker's files.</summary>
    private sealed class DevelopServer(ArcWorkerHost? host, ReloadableModel model, string root) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (host is not null) await host.DisposeAsync();
            await model.DisposeAsync();
            try { Directory.Delete(root, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"develop: could not remove {root}: {e.Message}"); }
        }
    }
}
