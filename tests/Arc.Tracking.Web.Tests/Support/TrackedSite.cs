using Arc.Artifacts;
using Arc.Tracking.Server;

namespace Arc.Tracking.Web.Tests.Support;

/// <summary>
/// A real web UI for a test: an SQLite store and a disk blob store in an owned scratch folder, and a
/// <see cref="TrackingWebServer"/> on a free loopback port with two tokens: <see cref="WriterSecret"/> writes every
/// namespace, <see cref="ReaderSecret"/> only reads them. Disposing stops the server and deletes the folder.
/// </summary>
public sealed class TrackedSite : IAsyncDisposable
{
    public const string WriterSecret = "writer-secret-0123456789";
    public const string ReaderSecret = "reader-secret-0123456789";

    private readonly DirectoryInfo _scratch;

    private TrackedSite(DirectoryInfo scratch, SqliteMetadataStore store, DiskBlobStore blobs, TrackingWebServer server)
    {
        _scratch = scratch;
        Store = store;
        Blobs = blobs;
        Server = server;
    }

    public SqliteMetadataStore Store { get; }
    public DiskBlobStore Blobs { get; }
    public TrackingWebServer Server { get; }
    public Uri Address => Server.Address;

    public static async Task<TrackedSite> StartAsync(bool withTokens = true, IReadOnlyList<TrackingToken>? tokens = null, CancellationToken cancellationToken = default)
    {
        var scratch = new DirectoryInfo(ArcTempPaths.CreateDirectory(ArcTempPaths.Scratch));
        try
        {
            var store = await SqliteMetadataStore.OpenAsync(Path.Combine(scratch.FullName, "metadata.db"), cancellationToken);
            var blobs = new DiskBlobStore(Path.Combine(scratch.FullName, "blobs"));
            tokens ??= withTokens
                ? new[]
                {
                    new TrackingToken("writer", WriterSecret, new Dictionary<string, TrackingAccess> { ["*"] = TrackingAccess.Write }),
                    new TrackingToken("reader", ReaderSecret, new Dictionary<string, TrackingAccess> { ["*"] = TrackingAccess.Read }),
                }
                : [];
            var server = await TrackingWebServer.StartAsync(store, blobs, new TrackingWebOptions
            {
                Port = 0,
                Tokens = tokens,
                LivePollInterval = TimeSpan.FromMilliseconds(100),
            }, cancellationToken);
            return new TrackedSite(scratch, store, blobs, server);
        }
        catch
        {
            scratch.Delete(recursive: true);
            throw;
        }
    }

    public Uri this[string path] => new(Address, path);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            _scratch.Delete(recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
