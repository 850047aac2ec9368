using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;

namespace Arc.Tracking.Tests.Stores;

/// <summary>
/// The metadata store contract through the wire: <see cref="TrackingServerClient"/> as the <see cref="IMetadataStore"/>,
/// in front of a real <see cref="TrackingServer"/> (Kestrel on 127.0.0.1) over a fresh SQLite database per test. It
/// passes only if every call, record, rule and error survives the trip to the server and back.
/// </summary>
public sealed class RemoteMetadataStoreTests : MetadataStoreContractTests
{
    private readonly DirectoryInfo _scratch = TestScratch.Create();
    private SqliteMetadataStore? _database;
    private TrackingServer? _server;
    private TrackingServerClient? _client;

    protected override async Task<IMetadataStore> OpenFreshStoreAsync()
    {
        _database = await SqliteMetadataStore.OpenAsync(Path.Combine(_scratch.FullName, "metadata.db"), Cancel);
        _server = await TrackingServer.StartAsync(_database, new TrackingServerOptions { Port = 0 }, Cancel);
        _client = new TrackingServerClient(_server.Address);
        return _client;
    }

    protected override async ValueTask DisposeFreshStoreAsync()
    {
        _client?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        TestScratch.Delete(_scratch);
    }
}
