using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Arc.Artifacts;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;

namespace Arc.Worker;

/// <summary>
/// Develop mode (<c>ARC_WORKER_DEVELOP=1</c>): the worker starts with no user code and serves <c>arc.Develop</c>
/// (blob store, reload) beside <c>arc.Model</c>, <c>arc.Job</c> and <c>arc.Pod</c> (routed to the model, job or pods
/// the last reload loaded) on one port. Its files live in a
/// fresh temporary folder only its user can enter, <c>/tmp/arc-develop-&lt;pid&gt;-&lt;start&gt;-&lt;random&gt;</c>
/// (<see cref="ArcTempPaths"/>), removed when the worker stops; the folders of develop workers that were killed are
/// removed when the next one starts. See docs/develop-mode.md.
/// </summary>
internal static class DevelopWorker
{
    /// <summary>The largest file one <c>PutBlob</c> may carry: the message limit, less room for the envelope.</summary>
    public const long MaxBlobBytes = ArcWorkerOptions.DefaultMaxMessageBytes - 1024 * 1024;

    /// <summary>The blob store's default byte quota: 2 GiB, far above a model's build folder without the shared runtimes.</summary>
    public const long DefaultQuotaBytes = 2L << 30;

    public static bool IsRequested => Environment.GetEnvironmentVariable(WorkerEnvironment.Develop) == "1";

    /// <summary>The quota <see cref="WorkerEnvironment.DevelopQuotaBytes"/> sets, or the default.</summary>
    /// <exception cref="InvalidOperationException">The variable is set but is not a positive whole number of bytes.</exception>
    public static long QuotaBytes()
    {
        string? text = Environment.GetEnvironmentVariable(WorkerEnvironment.DevelopQuotaBytes);
        if (string.IsNullOrEmpty(text)) return DefaultQuotaBytes;
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long quota) && quota > 0
            ? quota
            : throw new InvalidOperationException($"{WorkerEnvironment.DevelopQuotaBytes}='{text}' is not a positive whole number of bytes (e.g. {DefaultQuotaBytes} for 2 GiB)");
    }

    public static async Task<ServedThing> StartAsync(ArcWorkerOptions listen, CancellationToken cancellationToken)
    {
        long quota = QuotaBytes();
        // 0700 from its creation; the first Arc temporary folder of this process also sweeps killed workers' folders.
        string root = ArcTempPaths.CreateDirectory(ArcTempPaths.Develop);
        var store = new BlobStore(Path.Combine(root, "blobs"), MaxBlobBytes, quota);
        var shared = SharedFiles.OfThisProcess();
        var code = new ReloadableCode(store, Path.Combine(root, "versions"), shared, line => Console.Error.WriteLine("develop: " + line));

        ArcWorkerHost host;
        try
        {
            host = await ArcWorkerHost.StartServicesAsync(services =>
                {
                    services.AddSingleton(code).AddSingleton(store).AddSingleton(shared);
                    services.AddSingleton<DevelopModelService>();
                    services.AddSingleton<IServiceMethodProvider<DevelopModelService>, DevelopModelServiceMethodProvider>();
                    services.AddSingleton<DevelopJobService>();
                    services.AddSingleton<IServiceMethodProvider<DevelopJobService>, DevelopJobServiceMethodProvider>();
                    services.AddSingleton<DevelopPodService>();
                    services.AddSingleton<IServiceMethodProvider<DevelopPodService>, DevelopPodServiceMethodProvider>();
                    services.AddSingleton<DevelopService>();
                    services.AddSingleton<IServiceMethodProvider<DevelopService>, DevelopServiceMethodProvider>();
                },
                app =>
                {
                    app.MapGrpcService<DevelopModelService>();
                    app.MapGrpcService<DevelopJobService>();
                    app.MapGrpcService<DevelopPodService>();
                    app.MapGrpcService<DevelopService>();
                }, listen, cancellationToken);
        }
        catch
        {
            await new DevelopServer(null, code, root).DisposeAsync();
            throw;
        }
        return new ServedThing(host.Port, new DevelopServer(host, code, root));
    }

    /// <summary>Stops the server, then frees the model and the worker's files.</summary>
    private sealed class DevelopServer(ArcWorkerHost? host, ReloadableCode code, string root) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (host is not null) await host.DisposeAsync();
            await code.DisposeAsync();
            try { Directory.Delete(root, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"develop: could not remove {root}: {e.Message}"); }
        }
    }
}
