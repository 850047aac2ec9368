using Grpc.Core;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Testing.Fuzz;

/// <summary>The last lines a worker wrote to stderr (kept for failure messages), and how many it wrote in all.</summary>
internal sealed class WorkerLog
{
    private readonly Queue<string> _recent = new();
    private long _lines;

    public long Lines => Interlocked.Read(ref _lines);

    public void Add(string line)
    {
        Interlocked.Increment(ref _lines);
        lock (_recent)
        {
            _recent.Enqueue(line);
            if (_recent.Count > 20) _recent.Dequeue();
        }
    }

    public override string ToString()
    {
        lock (_recent) return _recent.Count == 0 ? "(nothing on stderr)" : string.Join(Environment.NewLine, _recent);
    }
}

/// <summary>
/// A real worker process under fuzz: started the way Arc starts local workers (<c>Arc.Worker</c> as a child process, its
/// token on its stdin pipe), with the channel the fuzzer calls it through, its endpoints, and a typed check that it
/// still serves correctly.
/// </summary>
internal sealed class FuzzWorker : IAsyncDisposable
{
    private readonly ArcChannel _channel;
    private readonly IAsyncDisposable _process;
    private readonly Func<ArcChannel, CancellationToken, Task<string?>> _checkServes;
    private readonly Func<FuzzEndpoint, CancellationToken, Task> _afterEndpoint;

    private FuzzWorker(string name, int processId, Uri address, ArcChannelOptions client, IAsyncDisposable process, WorkerLog log,
        IReadOnlyList<FuzzEndpoint> endpoints, Func<ArcChannel, CancellationToken, Task<string?>> checkServes,
        Func<FuzzEndpoint, CancellationToken, Task>? afterEndpoint = null)
    {
        Name = name;
        ProcessId = processId;
        Address = address;
        Token = client.Token ?? throw new ArgumentException("a worker's client options carry its token", nameof(client));
        _channel = new ArcChannel(address, client);
        _process = process;
        Log = log;
        Endpoints = endpoints;
        _checkServes = checkServes;
        _afterEndpoint = afterEndpoint ?? ((_, _) => Task.CompletedTask);
    }

    public string Name { get; }

    public int ProcessId { get; }

    public WorkerLog Log { get; }

    /// <summary>The worker's address (loopback).</summary>
    public Uri Address { get; }

    /// <summary>The worker's token: the fuzzer calls as its owner does, so the frames reach the decoders.</summary>
    public string Token { get; }

    public CallInvoker Invoker => _channel.CallInvoker;

    /// <summary>A plain HTTP/2 client for calls sent whole (<see cref="WholeRequestCall"/>).</summary>
    public HttpClient Http { get; } = WholeRequestCall.CreateClient();

    public IReadOnlyList<FuzzEndpoint> Endpoints { get; }

    /// <summary>A typed call through Arc's own client, answered right: null, otherwise what is wrong.</summary>
    public Task<string?> CheckServesAsync(CancellationToken cancellationToken) => _checkServes(_channel, cancellationToken);

    /// <summary>Puts the worker back in its serving state after <paramref name="endpoint"/> was fuzzed (a develop worker's reloads).</summary>
    public Task AfterEndpointAsync(FuzzEndpoint endpoint, CancellationToken cancellationToken) => _afterEndpoint(endpoint, cancellationToken);

    /// <summary>A worker serving <see cref="FuzzProbe"/> as <c>arc.Model</c>.</summary>
    public static async Task<FuzzWorker> StartModelAsync(CancellationToken cancellationToken)
    {
        var registration = ArcRegistry.GetModel(DefaultNames.For(typeof(FuzzProbe)));
        var (log, options) = Options();
        var process = await WorkerProcess.StartAsync(WorkerLaunch.For(registration, registration.DefaultParametersWire, options), options, cancellationToken);
        var images = ModelEndpoints.Images(5, 4, 4, seed: 9);
        return new FuzzWorker("model", process.ProcessId, process.Address, process.ClientOptions, process, log,
            ModelEndpoints.For(registration.Name, FuzzProbe.Answer, fitStream: true, optimizerState: true),
            async (channel, ct) =>
            {
                await using var model = await RemoteModel<ImageData, ClassData>.ConnectAsync(process.Address, process.ClientOptions, ct);
                var predicted = await model.PredictAsync(images, ct);
                if (!predicted.IndexSpan.SequenceEqual(FuzzProbe.Answer(images).IndexSpan)) return "typed Predict answered wrong classes";
                byte[] weights = [1, 2, 3, 5, 8, 13];
                await model.LoadWeightsAsync(new MemoryStream(weights), ct);
                using var saved = new MemoryStream();
                await model.SaveWeightsAsync(saved, ct);
                return saved.ToArray().SequenceEqual(weights) ? null : "the weights saved differ from those just loaded";
            });
    }

    /// <summary>A worker serving <see cref="FuzzJob"/> as <c>arc.Job</c>.</summary>
    public static async Task<FuzzWorker> StartJobAsync(CancellationToken cancellationToken)
    {
        var registration = ArcRegistry.GetJob(DefaultNames.For(typeof(FuzzJob)));
        var (log, options) = Options();
        var process = await WorkerProcess.StartAsync(WorkerLaunch.For(registration, registration.DefaultParametersWire, options), options, cancellationToken);
        return new FuzzWorker("job", process.ProcessId, process.Address, process.ClientOptions, process, log,
            JobEndpoints.For(registration.Name),
            async (channel, ct) =>
            {
                var client = new RemoteJobClient<ImageData, ClassData>(channel);
                var sample = await client.SampleAsync(4, JobSplits.Train, seed: 11, cancellationToken: ct);
                int rows = 0;
                await foreach (var batch in client.StreamAsync(3, JobSplits.Test, cancellationToken: ct)) rows += batch.Inputs.Count;
                return sample.Inputs.Count == 4 && rows == FuzzJob.SplitSize ? null : $"typed Sample gave {sample.Inputs.Count} rows, Stream {rows}";
            });
    }

    /// <summary>A worker serving the pods of the assembly that declares <see cref="FuzzPods"/> as <c>arc.Pod</c>.</summary>
    public static async Task<FuzzWorker> StartPodsAsync(CancellationToken cancellationToken)
    {
        var pods = ArcRegistry.Pods.Where(p => p.Type == typeof(FuzzPods)).ToArray();
        var (log, options) = Options();
        var process = await WorkerProcess.StartAsync(WorkerLaunch.ForPods(pods, options), options, cancellationToken);
        return new FuzzWorker("pods", process.ProcessId, process.Address, process.ClientOptions, process, log,
            PodEndpoints.Create(),
            async (channel, ct) =>
            {
                await using var worker = PodWorker.Connect(process.Address, process.ClientOptions);
                double sum = await FuzzPods.SumRemoteAsync(worker, [1, 2, 3.5], 2, ct);
                return sum == 13 ? null : $"typed fuzz.sum answered {sum}, not 13";
            });
    }

    /// <summary>
    /// A develop worker (<c>arc.Develop</c> beside <c>arc.Model</c>) serving the develop sample built into
    /// <paramref name="folder"/>. Fuzzed reloads leave it serving nothing; after them it reloads the sample for real.
    /// </summary>
    public static async Task<FuzzWorker> StartDevelopAsync(string folder, CancellationToken cancellationToken)
    {
        const int answer = 1;
        var build = new DevelopSampleBuild(folder);
        build.BuildModel(answer);
        var (log, options) = Options();
        var model = await DevelopModel<ImageData, ClassData>.StartAsync(build.AssemblyPath, DevelopSampleBuild.ModelName, options: options,
            cancellationToken: cancellationToken);
        ClassData Answer(ImageData x) => new(Enumerable.Repeat((long)answer, x.Count).ToArray(), DevelopSampleBuild.Labels);
        var images = ModelEndpoints.Images(3, 4, 4, seed: 4);
        return new FuzzWorker("develop", model.ProcessId, model.Address, model.ClientOptions, model, log,
            [.. ModelEndpoints.For(DevelopSampleBuild.ModelName, Answer, fitStream: false, optimizerState: false), .. DevelopEndpoints.Create(DevelopSampleBuild.ModelName)],
            async (channel, ct) =>
            {
                var predicted = await model.PredictAsync(images, ct);
                return predicted.IndexSpan.SequenceEqual(Answer(images).IndexSpan) ? null : "typed Predict answered wrong classes";
            },
            async (endpoint, ct) =>
            {
                if (endpoint.Name.EndsWith("/Reload", StringComparison.Ordinal)) await model.ReloadAsync(ct);
            });
    }

    private static (WorkerLog Log, LocalProcessOptions Options) Options()
    {
        var log = new WorkerLog();
        return (log, new LocalProcessOptions { Log = log.Add });
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        Http.Dispose();
        await _process.DisposeAsync();
    }
}
