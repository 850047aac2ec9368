using Arc.Tracking.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// Item 9's named cases through a real server, each with its status and a message that names the value and the rule:
/// invalid names, unknown namespaces, oversize payloads, duplicate names, steps going backwards, NaN and infinities.
/// Requests are sent through the raw generated client where the typed client would refuse them before sending.
/// </summary>
public sealed class TrackingServiceBadInputTests : IAsyncLifetime
{
    private LiveTrackingServer _live = null!;
    private GrpcChannel _channel = null!;
    private TrackingService.TrackingServiceClient _raw = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _live = await LiveTrackingServer.StartAsync(Cancel);
        _channel = GrpcChannel.ForAddress(_live.Server.Address, new GrpcChannelOptions { MaxSendMessageSize = null });
        _raw = new TrackingService.TrackingServiceClient(_channel);
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_live is not null) await _live.DisposeAsync();
    }

    [Fact]
    public async Task Invalid_names_end_InvalidArgument_naming_the_value_and_the_rule()
    {
        var experiment = await _live.Client.CreateExperimentAsync(new ExperimentDraft("vision", "run", "me@example.com"), Cancel);
        var model = await _live.Client.CreateModelAsync(new RegisteredModelDraft("vision", "mnist", "me@example.com"), Cancel);
        var experimentRef = new ObjectRefMessage { Kind = ObjectKindCode.Experiment, Id = experiment.Id };
        var log = new LogMetricsRequest { ExperimentId = experiment.Id, IdempotencyKey = "k" };
        log.Points.Add(new MetricPointMessage { Key = "train loss", Step = 1, Value = 1 });

        var cases = new (string What, Func<Task> Call, string Value, string Rule)[]
        {
            ("namespace", () => _raw.CreateModelAsync(new CreateModelRequest { Namespace = "Vision_Team", Name = "m", Owner = "me" }, cancellationToken: Cancel).ResponseAsync,
                "Vision_Team", "lowercase"),
            ("experiment name", () => _raw.CreateExperimentAsync(new CreateExperimentRequest { Namespace = "vision", Name = "my run", Owner = "me" }, cancellationToken: Cancel).ResponseAsync,
                "my run", "letters, digits"),
            ("metric key", () => _raw.LogMetricsAsync(log, cancellationToken: Cancel).ResponseAsync, "train loss", "letters, digits"),
            ("label key", () => _raw.SetLabelAsync(new SetLabelRequest { Target = new ObjectRefMessage { Kind = ObjectKindCode.Model, Id = model.Id }, Key = "a=b", Value = "v" },
                cancellationToken: Cancel).ResponseAsync, "a=b", "letters, digits"),
            ("file name", () => _raw.AttachFileAsync(new AttachFileRequest { Owner = experimentRef, File = new FileRefMessage { Name = "../etc/passwd", Sha256 = new string('a', 64) } },
                cancellationToken: Cancel).ResponseAsync, "../etc/passwd", ".."),
            ("sha256", () => _raw.AttachFileAsync(new AttachFileRequest { Owner = experimentRef, File = new FileRefMessage { Name = "f", Sha256 = "sha256:abc" } },
                cancellationToken: Cancel).ResponseAsync, "sha256:abc", "64"),
            ("id", () => _raw.GetModelAsync(new GetModelRequest { Id = "m/1" }, cancellationToken: Cancel).ResponseAsync, "m/1", "letters or digits"),
            ("event kind", () => _raw.ReadEventsAsync(new ReadEventsRequest { Kinds = { "model.deleted" } }, cancellationToken: Cancel).ResponseAsync, "model.deleted", "unknown"),
            ("label target kind", () => _raw.SetLabelAsync(new SetLabelRequest { Target = experimentRef, Key = "k", Value = "v" }, cancellationToken: Cancel).ResponseAsync,
                "kind 2", "a model or a model version"),
        };
        foreach (var (what, call, value, rule) in cases)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.True(e.StatusCode == StatusCode.InvalidArgument, $"{what}: {e.StatusCode} {e.Status.Detail}");
            Assert.True(e.Status.Detail.Contains(value, StringComparison.Ordinal) && e.Status.Detail.Contains(rule, StringComparison.Ordinal),
                $"{what}: '{e.Status.Detail}' should name '{value}' and the rule ('{rule}')");
        }
        Assert.Equal(["vision"], (await _live.Client.ListNamespacesAsync(Cancel)).Select(n => n.Name)); // nothing was created
    }

    [Fact]
    public async Task An_unknown_namespace_reads_as_empty_and_is_created_by_its_first_write()
    {
        // Namespaces are not declared: one exists once something is created in it (a watch may wait for that), so a
        // read of one that does not exist yet answers empty, not NotFound. (Which namespaces a caller may use is for the
        // access tokens of item 6.)
        Assert.Empty(await _live.Client.ListExperimentsAsync("nobody", Cancel));
        Assert.Empty(await _live.Client.ListModelsAsync("nobody", Cancel));
        Assert.Null(await _live.Client.FindExperimentAsync("nobody", "run", Cancel));
        Assert.Null(await _live.Client.FindModelAsync("nobody", "model", Cancel));
        Assert.Empty(await _live.Client.ReadEventsAsync(new EventQuery { Namespace = "nobody" }, Cancel));

        await _live.Client.CreateExperimentAsync(new ExperimentDraft("nobody", "run", "me@example.com"), Cancel);
        Assert.Equal(["nobody"], (await _live.Client.ListNamespacesAsync(Cancel)).Select(n => n.Name));
        Assert.Equal(TrackingEventKinds.NamespaceCreated, (await _live.Client.ReadEventsAsync(new EventQuery { Namespace = "nobody" }, Cancel))[0].Kind);
    }

    [Fact]
    public async Task Oversize_payloads_end_ResourceExhausted_or_InvalidArgument_with_the_limit_and_the_server_keeps_serving()
    {
        var experiment = await _live.Client.CreateExperimentAsync(new ExperimentDraft("vision", "run", "me@example.com"), Cancel);

        // A message over the server's limit (1 MiB here; 64 MiB by default) is refused before it is parsed.
        await using var small = await TrackingServer.StartAsync(_live.Store, new TrackingServerOptions { Port = 0, MaxMessageBytes = 1024 * 1024 }, Cancel);
        using var smallChannel = GrpcChannel.ForAddress(small.Address, new GrpcChannelOptions { MaxSendMessageSize = null });
        var big = new LogMetricsRequest { ExperimentId = experiment.Id, IdempotencyKey = "big" };
        for (int step = 0; step < 60_000; step++) big.Points.Add(new MetricPointMessage { Key = "loss", Step = step, WallTimeUnixMicros = step, Value = step });
        Assert.True(big.CalculateSize() > 1024 * 1024);
        var tooLarge = await Assert.ThrowsAsync<RpcException>(async () => await new TrackingService.TrackingServiceClient(smallChannel).LogMetricsAsync(big, cancellationToken: Cancel));
        Assert.Equal(StatusCode.ResourceExhausted, tooLarge.StatusCode);
        Assert.Contains("exceeds the maximum", tooLarge.Status.Detail);

        // A batch over 100,000 points: the typed client refuses it before sending, the server when another client sends it.
        var points = Enumerable.Range(0, MetricBatch.MaxPoints + 1).Select(i => new MetricPoint("loss", i, DateTimeOffset.UnixEpoch, i)).ToArray();
        var refused = Assert.Throws<ArgumentException>(() => new MetricBatch(experiment.Id, points));
        Assert.Contains("100,000", refused.Message);
        var many = new LogMetricsRequest { ExperimentId = experiment.Id, IdempotencyKey = "many" };
        many.Points.Add(points.Select(p => new MetricPointMessage { Key = p.Key, Step = p.Step, Value = p.Value }));
        var tooMany = await Assert.ThrowsAsync<RpcException>(async () => await _raw.LogMetricsAsync(many, cancellationToken: Cancel));
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Contains("1–100,000 points", tooMany.Status.Detail);

        // A label value over 256 characters, a description over 4096.
        var longLabel = await Assert.ThrowsAsync<RpcException>(async () => await _raw.CreateModelAsync(new CreateModelRequest
            { Namespace = "vision", Name = "m", Owner = "me", Labels = { ["k"] = new string('v', 257) } }, cancellationToken: Cancel));
        Assert.Equal(StatusCode.InvalidArgument, longLabel.StatusCode);
        Assert.Contains("256", longLabel.Status.Detail);

        // Nothing of it was stored, and both servers still serve.
        Assert.Empty(await _live.Client.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel));
        using var smallClient = new TrackingServerClient(small.Address);
        await smallClient.LogMetricsAsync(new MetricBatch(experiment.Id, [new MetricPoint("loss", 1, DateTimeOffset.UnixEpoch, 1)]), Cancel);
        Assert.Single(await _live.Client.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel));
    }

    [Fact]
    public async Task Steps_going_backwards_are_stored_and_NaN_and_infinities_come_back_as_such()
    {
        var experiment = await _live.Client.CreateExperimentAsync(new ExperimentDraft("vision", "resumed", "me@example.com"), Cancel);
        DateTimeOffset At(int second) => DateTimeOffset.UnixEpoch.AddSeconds(second);
        await _live.Client.LogMetricsAsync(new MetricBatch(experiment.Id,
            [new MetricPoint("loss", 10, At(1), 0.5), new MetricPoint("loss", 20, At(2), double.PositiveInfinity)]), Cancel);
        // A run resumed from an earlier checkpoint logs steps it logged before: all are kept.
        await _live.Client.LogMetricsAsync(new MetricBatch(experiment.Id,
            [new MetricPoint("loss", 15, At(3), double.NaN), new MetricPoint("loss", 10, At(4), double.NegativeInfinity)]), Cancel);

        var series = await _live.Client.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel);
        Assert.Equal([(10L, At(1)), (10L, At(4)), (15L, At(3)), (20L, At(2))], series.Select(p => (p.Step, p.WallTime)));
        Assert.Equal(0.5, series[0].Value);
        Assert.Equal(double.NegativeInfinity, series[1].Value);
        Assert.True(double.IsNaN(series[2].Value));
        Assert.Equal(double.PositiveInfinity, series[3].Value);
        var latest = Assert.Single(await _live.Client.ReadLatestMetricsAsync(experiment.Id, Cancel));
        Assert.Equal((10L, double.NegativeInfinity), (latest.Step, latest.Value)); // the last logged, whatever its step
    }

    [Fact]
    public async Task Duplicate_names_end_AlreadyExists_naming_the_name_and_change_nothing()
    {
        var experiment = await _live.Client.CreateExperimentAsync(new ExperimentDraft("vision", "run", "me@example.com"), Cancel);
        var model = await _live.Client.CreateModelAsync(new RegisteredModelDraft("vision", "mnist", "me@example.com"), Cancel);
        await _live.Client.AttachFileAsync(FileOwner.Experiment(experiment.Id), new FileRef("log.txt", new string('a', 64), 1), Cancel);
        long events = (await _live.Client.ReadEventsAsync(new EventQuery(), Cancel)).Count;

        var cases = new (Func<Task> Call, string Name)[]
        {
            (() => _raw.CreateExperimentAsync(new CreateExperimentRequest { Namespace = "vision", Name = "run", Owner = "other" }, cancellationToken: Cancel).ResponseAsync, "'run'"),
            (() => _raw.CreateModelAsync(new CreateModelRequest { Namespace = "vision", Name = "mnist", Owner = "other" }, cancellationToken: Cancel).ResponseAsync, "'mnist'"),
            (() => _raw.AttachFileAsync(new AttachFileRequest
            {
                Owner = new ObjectRefMessage { Kind = ObjectKindCode.Experiment, Id = experiment.Id },
                File = new FileRefMessage { Name = "log.txt", Sha256 = new string('b', 64), Size = 2 },
            }, cancellationToken: Cancel).ResponseAsync, "'log.txt'"),
        };
        foreach (var (call, name) in cases)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
            Assert.Contains(name, e.Status.Detail);
        }
        Assert.Equal(events, (await _live.Client.ReadEventsAsync(new EventQuery(), Cancel)).Count);
        Assert.Equal("me@example.com", (await _live.Client.GetModelAsync(model.Id, Cancel)).Owner);
    }
}
