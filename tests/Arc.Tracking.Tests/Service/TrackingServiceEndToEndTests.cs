using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// The tracking service end to end: a real <see cref="TrackingServer"/> (Kestrel, HTTP/2 on 127.0.0.1, a port the system
/// picks) over a SQLite store in a scratch folder, called through <see cref="TrackingServerClient"/> and, where the test
/// needs bytes the typed client would never send, through a raw gRPC call.
/// </summary>
public sealed class TrackingServiceEndToEndTests : IAsyncLifetime
{
    private const string ServiceName = "arc.tracking.v1.TrackingService";
    private readonly DirectoryInfo _scratch = TestScratch.Create();
    private SqliteMetadataStore _store = null!;
    private TrackingServer _server = null!;
    private TrackingServerClient _client = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteMetadataStore.OpenAsync(Path.Combine(_scratch.FullName, "metadata.db"), Cancel);
        _server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Port = 0 }, Cancel);
        _client = new TrackingServerClient(_server.Address);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
        TestScratch.Delete(_scratch);
    }

    [Fact]
    public async Task Binds_loopback_on_the_port_the_system_picked()
    {
        Assert.Equal("127.0.0.1", _server.Address.Host);
        Assert.NotEqual(0, _server.Address.Port);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TrackingServer.StartAsync(_store, new TrackingServerOptions { Address = System.Net.IPAddress.Any, Port = 0 }, Cancel));
    }

    [Fact]
    public async Task An_experiment_round_trips_with_its_typed_fields_and_status()
    {
        var draft = new ExperimentDraft("vision", "mnist-mlp", "me@example.com")
        {
            Framework = "torchsharp",
            Hyperparameters = new Dictionary<string, HyperparameterValue>
            {
                ["hidden"] = 64, ["lr"] = 1e-3, ["optimizer"] = "adam", ["shuffle"] = true, ["clip"] = double.PositiveInfinity,
            },
            Environment = new Dictionary<string, string> { ["os"] = "linux", ["note"] = "two\nlines" },
            CodeVersion = new CodeVersion(new string('a', 40), dirty: true),
        };
        var created = await _client.CreateExperimentAsync(draft, Cancel);

        Assert.Equal(ExperimentStatus.Running, created.Status);
        Assert.Null(created.EndedAt);
        Assert.Equal(HyperparameterKind.Long, created.Hyperparameters["hidden"].Kind);
        Assert.Equal(64, created.Hyperparameters["hidden"].AsLong());
        Assert.Equal(1e-3, created.Hyperparameters["lr"].AsDouble());
        Assert.Equal("adam", created.Hyperparameters["optimizer"].AsString());
        Assert.True(created.Hyperparameters["shuffle"].AsBool());
        Assert.Equal(double.PositiveInfinity, created.Hyperparameters["clip"].AsDouble());
        Assert.Equal("two\nlines", created.Environment["note"]);
        Assert.Equal(new CodeVersion(new string('a', 40), true), created.CodeVersion);

        var fromStore = await _store.GetExperimentAsync(created.Id, Cancel);
        var fromServer = await _client.GetExperimentAsync(created.Id, Cancel);
        AssertSameExperiment(fromStore, fromServer);
        AssertSameExperiment(fromStore, created);
        AssertSameExperiment(fromStore, (await _client.FindExperimentAsync("vision", "mnist-mlp", Cancel))!);
        Assert.Null(await _client.FindExperimentAsync("vision", "no-such-run", Cancel));
        Assert.Equal([created.Id], (await _client.ListExperimentsAsync("vision", Cancel)).Select(e => e.Id));
        Assert.Empty(await _client.ListExperimentsAsync("audio", Cancel));
        Assert.Equal(["vision"], (await _client.ListNamespacesAsync(Cancel)).Select(n => n.Name));

        var endedAt = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1230);
        var finished = await _client.SetExperimentStatusAsync(created.Id, ExperimentStatus.Finished, endedAt, Cancel);
        Assert.Equal(ExperimentStatus.Finished, finished.Status);
        Assert.Equal(endedAt, finished.EndedAt);
        var running = await _client.SetExperimentStatusAsync(created.Id, ExperimentStatus.Running, cancellationToken: Cancel);
        Assert.Null(running.EndedAt);
    }

    [Fact]
    public async Task A_thousand_points_logged_in_batches_read_back_in_order_and_a_retried_batch_is_stored_once()
    {
        var experiment = await _client.CreateExperimentAsync(new ExperimentDraft("vision", "run-1", "me@example.com"), Cancel);
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var points = Enumerable.Range(0, 1_000)
            .Select(i => new MetricPoint("train/loss", i, start.AddMilliseconds(i).AddTicks(10 * (i % 7)), 1.0 / (i + 1)))
            .ToArray();
        var batches = points.Chunk(100).Select((chunk, i) => new MetricBatch(experiment.Id, $"batch-{i}", chunk)).ToArray();

        foreach (var batch in batches)
            Assert.Equal(MetricBatchOutcome.Stored, await _client.LogMetricsAsync(batch, Cancel));
        // A retry after a lost reply: the same key and points again add nothing.
        Assert.Equal(MetricBatchOutcome.AlreadyStored, await _client.LogMetricsAsync(batches[3], Cancel));

        var read = await _client.ReadMetricAsync(experiment.Id, "train/loss", cancellationToken: Cancel);
        Assert.Equal(points, read);
        Assert.Equal(points[250..501], await _client.ReadMetricAsync(experiment.Id, "train/loss", 250, 500, Cancel));
        Assert.Empty(await _client.ReadMetricAsync(experiment.Id, "no/such/key", cancellationToken: Cancel));
        Assert.Equal([points[^1]], await _client.ReadLatestMetricsAsync(experiment.Id, Cancel));

        // The same key for other points is refused, not dropped as a retry, and stores nothing.
        var conflicting = new MetricBatch(experiment.Id, "batch-3", [new MetricPoint("train/loss", 5_000, start, 0.5)]);
        var refused = await Assert.ThrowsAsync<TrackingInvalidArgumentException>(() => _client.LogMetricsAsync(conflicting, Cancel));
        Assert.Contains("batch-3", refused.Message);
        Assert.Equal(1_000, (await _store.ReadMetricAsync(experiment.Id, "train/loss", cancellationToken: Cancel)).Count);
    }

    [Fact]
    public async Task NaN_and_infinities_round_trip_as_values()
    {
        var experiment = await _client.CreateExperimentAsync(new ExperimentDraft("vision", "diverged", "me@example.com"), Cancel);
        var at = DateTimeOffset.UnixEpoch.AddSeconds(1);
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon];
        await _client.LogMetricsAsync(new MetricBatch(experiment.Id, values.Select((v, i) => new MetricPoint("loss", i, at, v))), Cancel);

        var read = await _client.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel);
        Assert.Equal(values, read.Select(p => p.Value));
        Assert.True(double.IsNaN(read[0].Value));
        Assert.Equal(double.Epsilon, (await _client.ReadLatestMetricsAsync(experiment.Id, Cancel)).Single().Value);
    }

    [Fact]
    public async Task Checkpoints_round_trip_and_list_by_step()
    {
        var experiment = await _client.CreateExperimentAsync(new ExperimentDraft("vision", "checkpointed", "me@example.com"), Cancel);
        var late = await _client.CreateCheckpointAsync(new CheckpointDraft(experiment.Id, 200, new string('b', 64))
        {
            Epoch = 2,
            Metrics = new Dictionary<string, double> { ["loss"] = double.NaN, ["accuracy"] = 0.97, ["grad"] = double.NegativeInfinity },
        }, Cancel);
        var early = await _client.CreateCheckpointAsync(new CheckpointDraft(experiment.Id, 100, new string('a', 64)), Cancel);

        Assert.Equal(2, late.Epoch);
        Assert.Null(early.Epoch);
        Assert.True(double.IsNaN(late.Metrics["loss"]));
        Assert.Equal(double.NegativeInfinity, late.Metrics["grad"]);
        var stored = await _store.GetCheckpointAsync(late.Id, Cancel);
        var fetched = await _client.GetCheckpointAsync(late.Id, Cancel);
        Assert.Equal(stored with { Metrics = fetched.Metrics }, fetched);
        Assert.Equal(stored.Metrics, fetched.Metrics);
        Assert.Equal([early.Id, late.Id], (await _client.ListCheckpointsAsync(experiment.Id, Cancel)).Select(c => c.Id));

        await Assert.ThrowsAsync<TrackingNotFoundException>(() => _client.GetCheckpointAsync("nosuchid", Cancel));
        await Assert.ThrowsAsync<TrackingNotFoundException>(() => _client.ListCheckpointsAsync("nosuchid", Cancel));
        await Assert.ThrowsAsync<TrackingNotFoundException>(() =>
            _client.CreateCheckpointAsync(new CheckpointDraft("nosuchid", 1, new string('a', 64)), Cancel));

        using var channel = GrpcChannel.ForAddress(_server.Address);
        var badSha = await Assert.ThrowsAsync<RpcException>(async () => await new TrackingService.TrackingServiceClient(channel).CreateCheckpointAsync(
            new CreateCheckpointRequest { ExperimentId = experiment.Id, Step = 1, BlobSha256 = "sha256:abc" }, cancellationToken: Cancel));
        Assert.Equal(StatusCode.InvalidArgument, badSha.StatusCode);
        Assert.Contains("sha256:abc", badSha.Status.Detail);
        Assert.Equal(2, (await _store.ListCheckpointsAsync(experiment.Id, Cancel)).Count);
    }

    [Fact]
    public async Task Models_round_trip_with_labels_and_a_taken_name_is_AlreadyExists()
    {
        var draft = new RegisteredModelDraft("vision", "digits", "me@example.com")
        {
            Task = "classification",
            Description = "an MLP on MNIST\nsecond line",
            Labels = new Dictionary<string, string> { ["stage"] = "staging", ["empty"] = "" },
        };
        var created = await _client.CreateModelAsync(draft, Cancel);
        var stored = await _store.GetModelAsync(created.Id, Cancel);
        var fetched = await _client.GetModelAsync(created.Id, Cancel);
        Assert.Equal(stored with { Labels = fetched.Labels }, fetched);
        Assert.Equal(stored.Labels, fetched.Labels);
        Assert.Equal(stored with { Labels = created.Labels }, created);
        Assert.Equal("", fetched.Labels["empty"]);
        Assert.Equal(created.Id, (await _client.FindModelAsync("vision", "digits", Cancel))!.Id);
        Assert.Null(await _client.FindModelAsync("vision", "letters", Cancel));
        Assert.Equal([created.Id], (await _client.ListModelsAsync(cancellationToken: Cancel)).Select(m => m.Id));
        Assert.Empty(await _client.ListModelsAsync("audio", Cancel));

        await Assert.ThrowsAsync<TrackingAlreadyExistsException>(() =>
            _client.CreateModelAsync(new RegisteredModelDraft("vision", "digits", "someone@example.com"), Cancel));
        await Assert.ThrowsAsync<TrackingNotFoundException>(() => _client.GetModelAsync("nosuchid", Cancel));
    }

    [Fact]
    public async Task Refusals_come_back_as_the_typed_exceptions_with_the_stores_messages()
    {
        var experiment = await _client.CreateExperimentAsync(new ExperimentDraft("vision", "taken", "me@example.com"), Cancel);

        var taken = await Assert.ThrowsAsync<TrackingAlreadyExistsException>(() =>
            _client.CreateExperimentAsync(new ExperimentDraft("vision", "taken", "someone@example.com"), Cancel));
        Assert.Equal(TrackingErrorCode.AlreadyExists, taken.Code);
        Assert.Contains("taken", taken.Message);

        var missing = await Assert.ThrowsAsync<TrackingNotFoundException>(() => _client.GetExperimentAsync("nosuchid", Cancel));
        Assert.Contains("nosuchid", missing.Message);
        await Assert.ThrowsAsync<TrackingNotFoundException>(() =>
            _client.LogMetricsAsync(new MetricBatch("nosuchid", [new MetricPoint("loss", 0, DateTimeOffset.UnixEpoch, 1)]), Cancel));
        await Assert.ThrowsAsync<TrackingNotFoundException>(() => _client.ReadLatestMetricsAsync("nosuchid", Cancel));
        await Assert.ThrowsAsync<TrackingNotFoundException>(() =>
            _client.SetExperimentStatusAsync("nosuchid", ExperimentStatus.Killed, cancellationToken: Cancel));

        // An end time with Running: the client refuses it before sending, as the store does (IMetadataStore's contract);
        // sent anyway by another client, the server refuses it with the store's reason.
        var running = await Assert.ThrowsAsync<ArgumentException>(() =>
            _client.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Running, DateTimeOffset.UnixEpoch, Cancel));
        Assert.Contains("no end time", running.Message);
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var sent = await Assert.ThrowsAsync<RpcException>(async () => await new TrackingService.TrackingServiceClient(channel).SetExperimentStatusAsync(
            new SetExperimentStatusRequest { Id = experiment.Id, Status = ExperimentStatusCode.Running, EndedAtUnixMicros = 0 }, cancellationToken: Cancel));
        Assert.Equal(StatusCode.InvalidArgument, sent.StatusCode);
        Assert.Contains("no end time", sent.Status.Detail);
    }

    [Fact]
    public async Task A_well_formed_request_with_invalid_fields_ends_InvalidArgument_with_the_rule()
    {
        // Bytes the typed client would refuse before sending; another language's client may send them.
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var raw = new TrackingService.TrackingServiceClient(channel);

        var badName = await Assert.ThrowsAsync<RpcException>(async () => await raw.CreateExperimentAsync(
            new CreateExperimentRequest { Namespace = "Not A Label", Name = "run", Owner = "me" }, cancellationToken: Cancel));
        Assert.Equal(StatusCode.InvalidArgument, badName.StatusCode);
        Assert.Contains("Not A Label", badName.Status.Detail);

        var experiment = await _client.CreateExperimentAsync(new ExperimentDraft("vision", "run", "me@example.com"), Cancel);
        var empty = await Assert.ThrowsAsync<RpcException>(async () => await raw.LogMetricsAsync(
            new LogMetricsRequest { ExperimentId = experiment.Id, IdempotencyKey = "k" }, cancellationToken: Cancel));
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.Contains("1–100,000 points", empty.Status.Detail);

        var farTime = new LogMetricsRequest { ExperimentId = experiment.Id, IdempotencyKey = "k" };
        farTime.Points.Add(new MetricPointMessage { Key = "loss", Step = 1, WallTimeUnixMicros = long.MaxValue, Value = 1 });
        var outOfRange = await Assert.ThrowsAsync<RpcException>(async () => await raw.LogMetricsAsync(farTime, cancellationToken: Cancel));
        Assert.Equal(StatusCode.InvalidArgument, outOfRange.StatusCode);
        Assert.Contains("wall_time_unix_micros", outOfRange.Status.Detail);

        var noStatus = await Assert.ThrowsAsync<RpcException>(async () => await raw.SetExperimentStatusAsync(
            new SetExperimentStatusRequest { Id = experiment.Id }, cancellationToken: Cancel));
        Assert.Equal(StatusCode.InvalidArgument, noStatus.StatusCode);
        Assert.Empty(await _store.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel));
    }

    [Fact]
    public async Task Garbage_bytes_end_the_call_and_the_server_keeps_serving()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var invoker = channel.CreateCallInvoker();
        byte[][] garbage =
        [
            [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],          // field 1, a length far past the end
            [0x0F, 0x00, 0x01],                            // wire type 7 does not exist
            [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], // a varint longer than ten bytes
        ];
        foreach (string method in new[] { "CreateExperiment", "LogMetrics", "ReadMetric" })
        {
            foreach (byte[] bytes in garbage)
            {
                var failed = await Assert.ThrowsAsync<RpcException>(async () =>
                    await invoker.AsyncUnaryCall(RawMethod(method), null, new CallOptions(cancellationToken: Cancel), bytes));
                Assert.Equal(StatusCode.InvalidArgument, failed.StatusCode);
                Assert.Contains("malformed", failed.Status.Detail);
            }
        }

        // Still serving, on the same connection and on a new one.
        var experiment = await _client.CreateExperimentAsync(new ExperimentDraft("vision", "after-garbage", "me@example.com"), Cancel);
        await _client.LogMetricsAsync(new MetricBatch(experiment.Id, [new MetricPoint("loss", 0, DateTimeOffset.UnixEpoch, 2)]), Cancel);
        Assert.Equal(2, (await _client.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel)).Single().Value);
        var reply = await invoker.AsyncUnaryCall(RawMethod("ListNamespaces"), null, new CallOptions(cancellationToken: Cancel), []);
        Assert.Equal("vision", ListNamespacesReply.Parser.ParseFrom(reply).Namespaces.Single().Name);
    }

    private static Method<byte[], byte[]> RawMethod(string name)
    {
        var bytes = Marshallers.Create(b => b, b => b);
        return new Method<byte[], byte[]>(MethodType.Unary, ServiceName, name, bytes, bytes);
    }

    private static void AssertSameExperiment(Experiment expected, Experiment actual)
    {
        Assert.Equal(expected with { }, actual with { Hyperparameters = expected.Hyperparameters, Environment = expected.Environment });
        Assert.Equal(expected.Hyperparameters, actual.Hyperparameters);
        Assert.Equal(expected.Environment, actual.Environment);
    }
}
