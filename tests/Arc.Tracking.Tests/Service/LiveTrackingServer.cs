using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// A real <see cref="TrackingServer"/> (Kestrel on 127.0.0.1, a port the system picks) over a SQLite store and a disk
/// blob store in a scratch folder, with a <see cref="TrackingServerClient"/> on it. <see cref="RestartAsync"/> stops the
/// server and starts a new one over the same stores, as a crash and restart would look to a client.
/// </summary>
internal sealed class LiveTrackingServer : IAsyncDisposable
{
    private readonly DirectoryInfo _scratch;
    private readonly bool _withBlobs;

    private LiveTrackingServer(DirectoryInfo scratch, SqliteMetadataStore store, DiskBlobStore blobs, bool withBlobs)
    {
        _scratch = scratch;
        Store = store;
        Blobs = blobs;
        _withBlobs = withBlobs;
    }

    public SqliteMetadataStore Store { get; }
    public DiskBlobStore Blobs { get; }
    public TrackingServer Server { get; private set; } = null!;
    public TrackingServerClient Client { get; private set; } = null!;

    public static async Task<LiveTrackingServer> StartAsync(CancellationToken cancellationToken, bool withBlobs = true)
    {
        var scratch = TestScratch.Create();
        var store = await SqliteMetadataStore.OpenAsync(Path.Combine(scratch.FullName, "metadata.db"), cancellationToken);
        var live = new LiveTrackingServer(scratch, store, new DiskBlobStore(Path.Combine(scratch.FullName, "blobs")), withBlobs);
        await live.StartServerAsync(cancellationToken);
        return live;
    }

    /// <summary>Stops the server (its watches end Unavailable) and starts another over the same stores, with a new client.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken, Func<Task>? whileStopped = null)
    {
        await StopServerAsync();
        if (whileStopped is not null) await whileStopped();
        await StartServerAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopServerAsync();
        await Store.DisposeAsync();
        TestScratch.Delete(_scratch);
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        Server = await TrackingServer.StartAsync(Store, _withBlobs ? Blobs : null, new TrackingServerOptions { Port = 0 }, cancellationToken);
        Client = new TrackingServerClient(Server.Address);
    }

    private async Task StopServerAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        Client?.Dispose();
    }
}
