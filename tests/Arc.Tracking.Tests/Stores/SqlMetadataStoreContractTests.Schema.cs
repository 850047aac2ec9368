using Arc.Tracking.Server;
using Xunit;

namespace Arc.Tracking.Tests.Stores;

public abstract partial class SqlMetadataStoreContractTests
{
    private const int CurrentSchemaVersion = 2;
    private const string LegacyExperiment = "e0000000000000000000000000000001";
    private const string LegacyModel = "m0000000000000000000000000000001";
    private const string LegacyVersion = "v0000000000000000000000000000001";

    [Fact]
    public async Task What_was_stored_is_there_after_reopening()
    {
        var experiment = await NewExperimentAsync();
        await Store.LogMetricsAsync(new MetricBatch(experiment.Id, "k", [Point("loss", 1, 0.5)]), Cancel);
        await Store.DisposeAsync();

        var reopened = await OpenAsync(Database);
        Assert.Equal(CurrentSchemaVersion, await reopened.ReadSchemaVersionAsync(Cancel));
        Assert.Equal(experiment.Name, (await reopened.GetExperimentAsync(experiment.Id, Cancel)).Name);
        Assert.Equal([0.5], (await reopened.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel)).Select(p => p.Value));
        Assert.Equal(MetricBatchOutcome.AlreadyStored, await reopened.LogMetricsAsync(new MetricBatch(experiment.Id, "k", [Point("loss", 1, 0.5)]), Cancel));
        Assert.Equal(2, (await AllEventsAsync(reopened)).Count);
    }

    [Fact]
    public async Task A_database_left_at_version_1_is_upgraded_with_its_data()
    {
        string database = await NewDatabaseAsync();
        var old = await OpenAsync(database, schemaVersion: 1);
        Assert.Equal(1, await old.ReadSchemaVersionAsync(Cancel));
        await old.DisposeAsync();

        // Rows as version 1 wrote them (times in microseconds, NaN as NULL), written past the store.
        MetricPoint[] batch = [Point("loss", 1, 0.9, 1_000_001), Point("loss", 2, 0.5, 1_000_002), Point("loss", 1, 0.7, 1_000_003), Point("acc", 1, double.NaN, 1_000_004)];
        await ExecuteRawAsync(database, $$"""
            INSERT INTO namespaces (name, created_us) VALUES ('legacy', 1000000);
            INSERT INTO experiments (id, namespace, name, owner, framework, status, started_us, ended_us, environment, code_commit, code_dirty, created_us)
                VALUES ('{{LegacyExperiment}}', 'legacy', 'old-run', 'me', 'torchsharp', 'finished', 1000000, 2000000, '{"os":"linux"}', NULL, NULL, 1000000);
            INSERT INTO hyperparameters (experiment_id, name, kind, value) VALUES ('{{LegacyExperiment}}', 'lr', 'double', '0.001'), ('{{LegacyExperiment}}', 'hidden', 'long', '64');
            INSERT INTO metric_points (experiment_id, key, step, wall_us, value) VALUES
                ('{{LegacyExperiment}}', 'loss', 1, 1000001, 0.9), ('{{LegacyExperiment}}', 'loss', 2, 1000002, 0.5),
                ('{{LegacyExperiment}}', 'loss', 1, 1000003, 0.7), ('{{LegacyExperiment}}', 'acc', 1, 1000004, NULL);
            INSERT INTO metric_batches (experiment_id, batch_key, digest, points, stored_us)
                VALUES ('{{LegacyExperiment}}', 'legacy-batch', '{{MetricBatchDigest.Of(batch)}}', 4, 1000005);
            INSERT INTO models (id, namespace, name, owner, task, description, created_us, last_version)
                VALUES ('{{LegacyModel}}', 'legacy', 'old-model', 'me', 'asr', '', 1000006, 1);
            INSERT INTO model_versions (id, model_id, version, artifact_reference, experiment_id, job, dataset_name, dataset_version, dataset_hash, parent_version_id, created_us, metrics)
                VALUES ('{{LegacyVersion}}', '{{LegacyModel}}', 1, NULL, '{{LegacyExperiment}}', 'Job1', 'mnist', '1', NULL, NULL, 1000007, '{"acc":0.5,"loss":"NaN"}');
            INSERT INTO labels (object_id, key, value) VALUES ('{{LegacyVersion}}', 'stage', 'production');
            INSERT INTO files (owner_id, name, sha256, size, attached_us) VALUES ('{{LegacyVersion}}', 'weights.bin', '{{Sha}}', 5, 1000008);
            INSERT INTO events (id, time_us, kind, object_id, namespace, payload) VALUES
                (1, 1000000, 'namespace.created', 'legacy', 'legacy', '{}'), (2, 1000000, 'experiment.created', '{{LegacyExperiment}}', 'legacy', '{}');
            UPDATE event_counter SET last_id = 2;
            """);

        var upgraded = await OpenAsync(database);
        Assert.Equal(CurrentSchemaVersion, await upgraded.ReadSchemaVersionAsync(Cancel));
        var experiment = await upgraded.GetExperimentAsync(LegacyExperiment, Cancel);
        Assert.Equal((ExperimentStatus.Finished, 0.001, 64L, "linux"),
            (experiment.Status, experiment.Hyperparameters["lr"].AsDouble(), experiment.Hyperparameters["hidden"].AsLong(), experiment.Environment["os"]));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(2), experiment.EndedAt);
        Assert.Equal([0.9, 0.7, 0.5], (await upgraded.ReadMetricAsync(LegacyExperiment, "loss", cancellationToken: Cancel)).Select(p => p.Value));
        // Version 2's table of latest values was filled from the points version 1 had stored.
        var latest = await upgraded.ReadLatestMetricsAsync(LegacyExperiment, Cancel);
        Assert.Equal([("acc", 1L), ("loss", 1L)], latest.Select(p => (p.Key, p.Step)));
        Assert.True(double.IsNaN(latest[0].Value));
        Assert.Equal(0.7, latest[1].Value);
        Assert.Equal(MetricBatchOutcome.AlreadyStored, await upgraded.LogMetricsAsync(new MetricBatch(LegacyExperiment, "legacy-batch", batch), Cancel));

        var version = await upgraded.GetModelVersionAsync(LegacyVersion, Cancel);
        Assert.Equal((1, "production", "weights.bin", "mnist"), (version.Version, version.Labels["stage"], version.Files.Single().Name, version.Lineage.Dataset!.Name));
        Assert.True(double.IsNaN(version.Metrics["loss"]));
        // New writes go on from version 1's counters.
        Assert.Equal(2, (await upgraded.CreateModelVersionAsync(new ModelVersionDraft(LegacyModel), Cancel)).Version);
        Assert.Equal([1L, 2L, 3L], (await AllEventsAsync(upgraded)).Select(e => e.Id));
    }

    [Fact]
    public async Task A_database_newer_than_this_Arc_is_refused()
    {
        await ExecuteRawAsync(Database, "INSERT INTO schema_versions (version, description, applied_us) VALUES (99, 'from the future', 0)");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenStoreAsync(Database));
        Assert.Contains("schema version 99", e.Message);
        Assert.Contains($"up to {CurrentSchemaVersion}", e.Message);
    }
}
