using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;
using Xunit;

namespace Arc.Tracking.Tests.Stores;

/// <summary>
/// The one contract every metadata store keeps, written once and run against each store by a derived class
/// (<see cref="SqliteMetadataStoreTests"/>, <see cref="PostgresMetadataStoreTests"/>). Each test gets a fresh, empty
/// database; <see cref="Store"/> is open on it.
/// </summary>
public abstract partial class MetadataStoreContractTests : IAsyncLifetime
{
    protected const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    protected const string OtherSha = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    private readonly List<IAsyncDisposable> _opened = [];

    /// <summary>The test's database: a SQLite file path or a PostgreSQL connection string.</summary>
    protected string Database { get; private set; } = "";

    /// <summary>The store open on <see cref="Database"/>.</summary>
    protected SqlMetadataStore Store { get; private set; } = null!;

    /// <summary>Makes a fresh, empty database and returns where it is.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    /// <summary>Opens the store on <paramref name="database"/>, migrating it up to <paramref name="schemaVersion"/> (all the way when null).</summary>
    protected abstract Task<SqlMetadataStore> OpenStoreAsync(string database, int? schemaVersion = null);

    /// <summary>Runs SQL on the database directly, past the store (to make old data, or to break something on purpose).</summary>
    protected abstract Task ExecuteRawAsync(string database, string sql);

    /// <summary>SQL that makes every insert into <c>events</c> fail, and the SQL that undoes it.</summary>
    protected abstract (string Install, string Remove) FailingEventsTrigger { get; }

    public async ValueTask InitializeAsync()
    {
        Database = await NewDatabaseAsync();
        Store = await OpenAsync(Database);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        await DisposeDatabasesAsync();
    }

    /// <summary>Removes what <see cref="NewDatabaseAsync"/> made (the stores are closed by then).</summary>
    protected virtual Task DisposeDatabasesAsync() => Task.CompletedTask;

    /// <summary>Opens a store that the test's end closes.</summary>
    protected async Task<SqlMetadataStore> OpenAsync(string database, int? schemaVersion = null)
    {
        var store = await OpenStoreAsync(database, schemaVersion);
        _opened.Add(store);
        return store;
    }

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected Task<Experiment> NewExperimentAsync(string name = "run-1", string @namespace = "langtech")
        => Store.CreateExperimentAsync(new ExperimentDraft(@namespace, name, "me@example.com"), Cancel);

    protected Task<RegisteredModel> NewModelAsync(string name = "wav2vec", string @namespace = "langtech")
        => Store.CreateModelAsync(new RegisteredModelDraft(@namespace, name, "me@example.com"), Cancel);

    protected static MetricPoint Point(string key, long step, double value, long wallMicros = 1_700_000_000_000_000)
        => new(key, step, DateTimeOffset.UnixEpoch.AddTicks(wallMicros * 10), value);

    protected async Task<IReadOnlyList<TrackingEvent>> AllEventsAsync(SqlMetadataStore? store = null)
        => await (store ?? Store).ReadEventsAsync(new EventQuery { Limit = EventQuery.MaxLimit }, Cancel);

    /// <summary>The bits of a double, so NaN and −0.0 compare exactly.</summary>
    protected static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
