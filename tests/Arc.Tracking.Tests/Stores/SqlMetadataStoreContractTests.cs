using System.Data.Common;
using Arc.Tracking.Server;
using Xunit;

namespace Arc.Tracking.Tests.Stores;

/// <summary>
/// The contract of <see cref="MetadataStoreContractTests"/> for a SQL store, plus what only such a store has: a database
/// it can be reopened on, schema versions, and SQL run past the store to make old data or break something on purpose.
/// </summary>
public abstract partial class SqlMetadataStoreContractTests : MetadataStoreContractTests
{
    private readonly List<IAsyncDisposable> _opened = [];

    /// <summary>The test's database: a SQLite file path or a PostgreSQL connection string.</summary>
    protected string Database { get; private set; } = "";

    /// <summary>Makes a fresh, empty database and returns where it is.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    /// <summary>Opens the store on <paramref name="database"/>, migrating it up to <paramref name="schemaVersion"/> (all the way when null).</summary>
    protected abstract Task<SqlMetadataStore> OpenStoreAsync(string database, int? schemaVersion = null);

    /// <summary>Runs SQL on the database directly, past the store (to make old data, or to break something on purpose).</summary>
    protected abstract Task ExecuteRawAsync(string database, string sql);

    /// <summary>SQL that makes every insert into <c>events</c> fail, and the SQL that undoes it.</summary>
    protected abstract (string Install, string Remove) FailingEventsTrigger { get; }

    protected override async Task<IMetadataStore> OpenFreshStoreAsync()
    {
        Database = await NewDatabaseAsync();
        return await OpenAsync(Database);
    }

    protected override async ValueTask DisposeFreshStoreAsync()
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

    [Fact]
    public async Task A_change_whose_event_fails_is_not_stored_and_numbering_goes_on_without_a_gap()
    {
        var experiment = await NewExperimentAsync();
        var (install, remove) = FailingEventsTrigger;
        await ExecuteRawAsync(Database, install);
        try
        {
            await Assert.ThrowsAnyAsync<DbException>(() => NewModelAsync("lost", "elsewhere"));
            await Assert.ThrowsAnyAsync<DbException>(() => Store.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Finished, null, Cancel));
            await Assert.ThrowsAnyAsync<DbException>(() => Store.AttachFileAsync(FileOwner.Experiment(experiment.Id), new FileRef("f", Sha, 1), Cancel));
        }
        finally
        {
            await ExecuteRawAsync(Database, remove);
        }

        // The rows that went in before the event did are gone with it: no model, no namespace, no status, no file.
        Assert.Null(await Store.FindModelAsync("elsewhere", "lost", Cancel));
        Assert.DoesNotContain("elsewhere", (await Store.ListNamespacesAsync(Cancel)).Select(n => n.Name));
        Assert.Equal(ExperimentStatus.Running, (await Store.GetExperimentAsync(experiment.Id, Cancel)).Status);
        Assert.Empty(await Store.ListFilesAsync(FileOwner.Experiment(experiment.Id), Cancel));

        var model = await NewModelAsync("lost", "elsewhere");
        Assert.Equal([1L, 2L, 3L, 4L], (await AllEventsAsync()).Select(e => e.Id));
        Assert.Equal(model.Id, (await AllEventsAsync())[^1].ObjectId);
    }

    [Fact]
    public async Task A_disposed_store_refuses_calls()
    {
        var store = await OpenAsync(Database);
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ListNamespacesAsync(Cancel));
    }
}
