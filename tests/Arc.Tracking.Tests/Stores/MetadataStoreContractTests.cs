using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;
using Xunit;

namespace Arc.Tracking.Tests.Stores;

/// <summary>
/// The one contract every metadata store keeps, written once against <see cref="IMetadataStore"/> and run against each
/// store by a derived class: <see cref="SqliteMetadataStoreTests"/> and <see cref="PostgresMetadataStoreTests"/> (through
/// <see cref="SqlMetadataStoreContractTests"/>, which adds what only a SQL store has: schema versions, reopening, a
/// failure injected into the database) and <see cref="RemoteMetadataStoreTests"/> (a <see cref="TrackingServerClient"/>
/// in front of a real server over SQLite). Each test gets a fresh, empty database; <see cref="Store"/> is open on it.
/// </summary>
public abstract partial class MetadataStoreContractTests : IAsyncLifetime
{
    protected const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    protected const string OtherSha = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    /// <summary>The store under test, open on a fresh, empty database.</summary>
    protected IMetadataStore Store { get; private set; } = null!;

    /// <summary>Makes a fresh, empty database and opens the store under test on it.</summary>
    protected abstract Task<IMetadataStore> OpenFreshStoreAsync();

    /// <summary>Closes what <see cref="OpenFreshStoreAsync"/> opened and removes what it made.</summary>
    protected abstract ValueTask DisposeFreshStoreAsync();

    public async ValueTask InitializeAsync() => Store = await OpenFreshStoreAsync();

    public ValueTask DisposeAsync() => DisposeFreshStoreAsync();

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected Task<Experiment> NewExperimentAsync(string name = "run-1", string @namespace = "langtech")
        => Store.CreateExperimentAsync(new ExperimentDraft(@namespace, name, "me@example.com"), Cancel);

    protected Task<RegisteredModel> NewModelAsync(string name = "wav2vec", string @namespace = "langtech")
        => Store.CreateModelAsync(new RegisteredModelDraft(@namespace, name, "me@example.com"), Cancel);

    protected static MetricPoint Point(string key, long step, double value, long wallMicros = 1_700_000_000_000_000)
        => new(key, step, DateTimeOffset.UnixEpoch.AddTicks(wallMicros * 10), value);

    protected async Task<IReadOnlyList<TrackingEvent>> AllEventsAsync(IMetadataStore? store = null)
        => await (store ?? Store).ReadEventsAsync(new EventQuery { Limit = EventQuery.MaxLimit }, Cancel);

    /// <summary>The bits of a double, so NaN and −0.0 compare exactly.</summary>
    protected static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
