using System.Collections.Concurrent;
using System.Diagnostics;
using Arc.Tracking.Server;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// Item 9's fuzzing: 10,000 frames per method of the service — half random bytes, half a valid request with one to four
/// mutations (<see cref="FrameMutator"/>, seeded, so a failure repeats) — sent raw to a real server over SQLite. Every
/// call must end with a status the service gives on purpose (never Unknown or Internal, which would be an exception the
/// service did not expect), the server must answer a well-formed call after each method's frames, and at the end it
/// must still store and read back a point — and no connection may be cut by Kestrel's HTTP/2 flood guard. The counts
/// per status and the rate are written to the test output (run with --logger "console;verbosity=detailed").
/// </summary>
/// <remarks>
/// The database and blobs live under /dev/shm: a mutated frame is often a valid write, and SQLite's fsync per commit on
/// a shared disk would make 10,000 of them per method a matter of minutes rather than what is tested here.
/// </remarks>
public sealed class TrackingServiceFuzzTests : IAsyncLifetime
{
    private const int FramesPerMethod = 10_000;
    private const int Callers = 16;
    private const string ServiceName = "arc.tracking.v1.TrackingService";
    private static readonly TimeSpan WatchDeadline = TimeSpan.FromMilliseconds(100);

    private readonly DirectoryInfo _folder = Directory.CreateDirectory(Path.Combine("/dev/shm", $"arc-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}"));
    private SqliteMetadataStore _store = null!;
    private TrackingServer _server = null!;
    private TrackingServerClient _client = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteMetadataStore.OpenAsync(Path.Combine(_folder.FullName, "metadata.db"), Cancel);
        _server = await TrackingServer.StartAsync(_store, new DiskBlobStore(Path.Combine(_folder.FullName, "blobs")), new TrackingServerOptions { Port = 0 }, Cancel);
        _client = new TrackingServerClient(_server.Address);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Ten_thousand_random_and_mutated_frames_per_method_end_with_deliberate_statuses_and_the_server_keeps_serving()
    {
        var seeds = await SeedsAsync();
        var methods = TrackingService.Descriptor.Methods;
        Assert.Equal(methods.Select(m => m.Name).Order(), seeds.Keys.Order()); // a new method needs a seed here

        using var channel = GrpcChannel.ForAddress(_server.Address);
        var invoker = channel.CreateCallInvoker();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"loadavg before: {File.ReadAllText("/proc/loadavg").Trim()}");
        var total = Stopwatch.StartNew();
        var unexpected = new List<string>();
        for (int m = 0; m < methods.Count; m++)
        {
            var method = methods[m];
            var statuses = new ConcurrentDictionary<string, int>();
            var watch = Stopwatch.StartNew();
            int next = -1;
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < FramesPerMethod)
                {
                    var mutator = new FrameMutator(m * 1_000_000 + i);
                    var code = await SendAsync(invoker, method.Name, method.IsClientStreaming, method.IsServerStreaming, Frames(mutator, seeds[method.Name], i % 2 == 0));
                    statuses.AddOrUpdate(code, 1, (_, n) => n + 1);
                }
            }, Cancel)));
            watch.Stop();

            output?.WriteLine($"{method.Name,-20} {FramesPerMethod / watch.Elapsed.TotalSeconds,8:N0} calls/s  " +
                              string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}")));
            foreach (var (outcome, count) in statuses)
                if (!(outcome is nameof(StatusCode.OK) or nameof(StatusCode.InvalidArgument) or nameof(StatusCode.NotFound) or nameof(StatusCode.AlreadyExists)
                      // A valid watch waits for events until its deadline.
                      || (outcome == nameof(StatusCode.DeadlineExceeded) && method.Name == "WatchEvents")))
                    unexpected.Add($"{method.Name}: {count} × {outcome}");
            Assert.Equal(FramesPerMethod, statuses.Values.Sum());
            // Still serving a well-formed call after this method's frames.
            Assert.NotEmpty(await _client.ListNamespacesAsync(Cancel));
        }
        output?.WriteLine($"{methods.Count} methods × {FramesPerMethod:N0} frames in {total.Elapsed.TotalSeconds:N0} s; loadavg after: {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (key, sample) in Samples) output?.WriteLine($"sample {key}: {sample}");
        Assert.Empty(unexpected);

        var after = await _client.CreateExperimentAsync(new ExperimentDraft("after-fuzz", "run", "me@example.com"), Cancel);
        await _client.LogMetricsAsync(new MetricBatch(after.Id, [new MetricPoint("loss", 7, DateTimeOffset.UnixEpoch, double.NegativeInfinity)]), Cancel);
        Assert.Equal(double.NegativeInfinity, (await _client.ReadMetricAsync(after.Id, "loss", cancellationToken: Cancel)).Single().Value);
    }

    /// <summary>The frames of one call: random (1–3 random frames for an upload) or the seed's frames with one of them mutated.</summary>
    private static byte[][] Frames(FrameMutator mutator, byte[][] seed, bool random)
    {
        if (random) return Enumerable.Range(0, seed.Length == 1 ? 1 : 1 + mutator.Next(3)).Select(_ => mutator.RandomFrame()).ToArray();
        var frames = seed.ToArray();
        int which = mutator.Next(frames.Length);
        frames[which] = mutator.Mutate(frames[which]);
        return frames;
    }

    /// <summary>
    /// A call on a connection that Kestrel closed with GOAWAY ENHANCE_YOUR_CALM: its guard against a client that keeps
    /// opening streams while the server has ended many before their requests ended. The service drains a refused
    /// upload's body so that this does not happen (TrackingGrpcService.DrainAsync); named apart so a failure says so.
    /// </summary>
    private const string CalmedDown = "connection cut by Kestrel's flood guard";

    private static async Task<string> SendAsync(CallInvoker invoker, string name, bool clientStreams, bool serverStreams, byte[][] frames)
    {
        var bytes = Marshallers.Create(b => b, b => b);
        var type = (clientStreams, serverStreams) switch
        {
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            _ => MethodType.Unary,
        };
        var method = new Method<byte[], byte[]>(type, ServiceName, name, bytes, bytes);
        var deadline = DateTime.UtcNow + (name == "WatchEvents" ? WatchDeadline : TimeSpan.FromSeconds(60));
        var options = new CallOptions(deadline: deadline, cancellationToken: Cancel);
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, frames[0]);
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(method, null, options, frames[0]))
                        while (await call.ResponseStream.MoveNext(Cancel)) { }
                    break;
                default:
                    using (var call = invoker.AsyncClientStreamingCall(method, null, options))
                    {
                        try
                        {
                            foreach (byte[] frame in frames) await call.RequestStream.WriteAsync(frame, Cancel);
                            await call.RequestStream.CompleteAsync();
                        }
                        catch (Exception e) when (e is RpcException or System.Net.Http.HttpProtocolException or IOException or InvalidOperationException)
                        {
                            // Ended by the server before all frames were sent; the status is in the response.
                        }
                        await call.ResponseAsync;
                    }
                    break;
            }
            return nameof(StatusCode.OK);
        }
        catch (Exception e) when (IsCalmDown(e))
        {
            return CalmedDown;
        }
        catch (RpcException e)
        {
            if (e.StatusCode is StatusCode.Unavailable or StatusCode.Unknown or StatusCode.Internal)
                Samples.TryAdd($"{name} {e.StatusCode}", $"{e.Status.Detail} | {e.Status.DebugException}");
            return e.StatusCode.ToString();
        }
    }

    private static readonly ConcurrentDictionary<string, string> Samples = new();

    private static bool IsCalmDown(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is System.Net.Http.HttpProtocolException { ErrorCode: 0xb }) return true;
        return false;
    }

    /// <summary>A valid request of every method, on objects that exist, as the frames a client sends.</summary>
    private async Task<Dictionary<string, byte[][]>> SeedsAsync()
    {
        var experiment = await _client.CreateExperimentAsync(new ExperimentDraft("fuzz", "seed-run", "me@example.com")
        {
            Hyperparameters = new Dictionary<string, HyperparameterValue> { ["lr"] = 0.1, ["layers"] = 2, ["opt"] = "sgd", ["on"] = true },
        }, Cancel);
        var model = await _client.CreateModelAsync(new RegisteredModelDraft("fuzz", "seed-model", "me@example.com"), Cancel);
        var version = await _client.CreateModelVersionAsync(new ModelVersionDraft(model.Id), Cancel);
        var checkpoint = await _client.CreateCheckpointAsync(new CheckpointDraft(experiment.Id, 1, new string('a', 64)), Cancel);
        await _client.UploadFileAsync(FileOwner.Experiment(experiment.Id), "seed.txt", new MemoryStream("seed"u8.ToArray()), Cancel);
        await _client.SetLabelAsync(LabelTarget.Model(model.Id), "stage", "dev", Cancel);
        var experimentRef = new ObjectRefMessage { Kind = ObjectKindCode.Experiment, Id = experiment.Id };
        var modelRef = new ObjectRefMessage { Kind = ObjectKindCode.Model, Id = model.Id };
        string sha = new('b', 64);

        var create = ExperimentWire.ToRequest(new ExperimentDraft("fuzz", "seed-new", "me@example.com")
        {
            Framework = "torchsharp",
            Hyperparameters = new Dictionary<string, HyperparameterValue> { ["lr"] = 0.1, ["layers"] = 2, ["opt"] = "sgd", ["on"] = true },
            Environment = new Dictionary<string, string> { ["os"] = "linux" },
            CodeVersion = new CodeVersion(new string('c', 40), dirty: false),
        });
        var log = new LogMetricsRequest { ExperimentId = experiment.Id, IdempotencyKey = "seed" };
        log.Points.Add(new MetricPointMessage { Key = "loss", Step = 3, WallTimeUnixMicros = 1_700_000_000_000_000, Value = 0.25 });
        log.Points.Add(new MetricPointMessage { Key = "acc", Step = 2, WallTimeUnixMicros = 1_700_000_000_000_001, Value = double.NaN });
        var newCheckpoint = new CreateCheckpointRequest { ExperimentId = experiment.Id, Step = 2, Epoch = 1, BlobSha256 = sha };
        newCheckpoint.Metrics.Add("loss", 0.5);
        var newVersion = VersionWire.ToRequest(new ModelVersionDraft(model.Id)
        {
            ArtifactReference = "127.0.0.1:5000/arc/models:seed",
            Files = [new FileRef("weights.bin", sha, 10)],
            Metrics = new Dictionary<string, double> { ["acc"] = 0.9 },
            Labels = new Dictionary<string, string> { ["stage"] = "dev" },
            Lineage = new ModelLineage(experiment.Id, "Job", new DatasetRef("mnist", "1.0", "h"), version.Id),
        });
        byte[] content = "hello"u8.ToArray();

        static byte[][] One(IMessage message) => [message.ToByteArray()];
        return new Dictionary<string, byte[][]>
        {
            ["ListNamespaces"] = One(new ListNamespacesRequest()),
            ["CreateExperiment"] = One(create),
            ["GetExperiment"] = One(new GetExperimentRequest { Id = experiment.Id }),
            ["FindExperiment"] = One(new FindExperimentRequest { Namespace = "fuzz", Name = "seed-run" }),
            ["ListExperiments"] = One(new ListExperimentsRequest { Namespace = "fuzz" }),
            ["SetExperimentStatus"] = One(new SetExperimentStatusRequest { Id = experiment.Id, Status = ExperimentStatusCode.Finished, EndedAtUnixMicros = 1_700_000_000_000_000 }),
            ["LogMetrics"] = One(log),
            ["ReadMetric"] = One(new ReadMetricRequest { ExperimentId = experiment.Id, Key = "loss", FromStep = 0, ToStep = 10 }),
            ["ReadMetricPages"] = One(new ReadMetricRequest { ExperimentId = experiment.Id, Key = "loss", FromStep = 0, ToStep = 10 }),
            ["ReadLatestMetrics"] = One(new ReadLatestMetricsRequest { ExperimentId = experiment.Id }),
            ["CreateCheckpoint"] = One(newCheckpoint),
            ["GetCheckpoint"] = One(new GetCheckpointRequest { Id = checkpoint.Id }),
            ["ListCheckpoints"] = One(new ListCheckpointsRequest { ExperimentId = experiment.Id }),
            ["CreateModel"] = One(ModelWire.ToRequest(new RegisteredModelDraft("fuzz", "seed-new-model", "me@example.com")
                { Task = "asr", Description = "d", Labels = new Dictionary<string, string> { ["k"] = "v" } })),
            ["GetModel"] = One(new GetModelRequest { Id = model.Id }),
            ["FindModel"] = One(new FindModelRequest { Namespace = "fuzz", Name = "seed-model" }),
            ["ListModels"] = One(new ListModelsRequest { Namespace = "fuzz" }),
            ["CreateModelVersion"] = One(newVersion),
            ["GetModelVersion"] = One(new GetModelVersionRequest { Id = version.Id }),
            ["FindModelVersion"] = One(new FindModelVersionRequest { ModelId = model.Id, Version = 1 }),
            ["ListModelVersions"] = One(new ListModelVersionsRequest { ModelId = model.Id }),
            ["SetLabel"] = One(new SetLabelRequest { Target = modelRef, Key = "stage", Value = "prod" }),
            ["RemoveLabel"] = One(new RemoveLabelRequest { Target = modelRef, Key = "stage" }),
            ["AttachFile"] = One(new AttachFileRequest { Owner = experimentRef, File = new FileRefMessage { Name = "attached.bin", Sha256 = sha, Size = 3 } }),
            ["ListFiles"] = One(new ListFilesRequest { Owner = experimentRef }),
            ["UploadFile"] =
            [
                new UploadFileRequest { Header = new UploadFileHeader { Owner = experimentRef, Name = "upload.txt", Size = content.Length } }.ToByteArray(),
                new UploadFileRequest { Chunk = ByteString.CopyFrom(content) }.ToByteArray(),
                new UploadFileRequest { Trailer = new UploadFileTrailer { Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)) } }.ToByteArray(),
            ],
            ["DownloadFile"] = One(new DownloadFileRequest { Owner = experimentRef, Name = "seed.txt" }),
            ["ReadEvents"] = One(new ReadEventsRequest { AfterId = 1, Namespace = "fuzz", Kinds = { TrackingEventKinds.ModelCreated }, Limit = 10 }),
            ["WatchEvents"] = One(new WatchEventsRequest { AfterId = 1, Namespace = "fuzz", Kinds = { TrackingEventKinds.LabelSet } }),
        };
    }
}
