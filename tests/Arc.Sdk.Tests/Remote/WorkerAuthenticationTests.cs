using System.Diagnostics;
using Arc.Sdk.Tests.Develop;
using Arc.Sdk.Tests.Support;
using Grpc.Core;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Every endpoint kind (model, job, pod, develop) refuses a call without the right token — none, a wrong one, another
/// worker's — with <c>Unauthenticated</c> before anything is decoded or run, and keeps serving its owner.
/// </summary>
public sealed class WorkerAuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Callers => new("none", "wrong", "another worker's");

    /// <summary>The token a caller of the given kind sends; the other worker is a real one that was started for this.</summary>
    private static async Task<ArcChannelOptions> CallerOptionsAsync(string caller)
    {
        if (caller == "none") return new ArcChannelOptions();
        if (caller == "wrong") return new ArcChannelOptions { Token = ArcWorkerToken.Generate() };
        await using var other = await ArcWorkerHost.StartAsync(new RowArgmaxModel(2), cancellationToken: Ct);
        return other.ClientOptions;
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task A_model_worker_runs_nothing_for_a_caller_without_its_token(string caller)
    {
        var model = new ScriptedModel("guarded", 10);
        await using var host = await ArcWorkerHost.StartAsync(new SupervisedModelHandler<ImageData, ClassData>(model, ownsModel: true), cancellationToken: Ct);
        using var intruder = new ArcChannel(host.Address, await CallerOptionsAsync(caller));
        var client = new RemoteModelClient<ImageData, ClassData>(intruder);
        var batch = TestData.Numbered(4);

        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => client.FitAsync(batch.Inputs, batch.Targets, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => client.SaveWeightsAsync(cancellationToken: Ct));
        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => client.LoadWeightsAsync(new byte[8], cancellationToken: Ct));
        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => client.DescribeAsync(cancellationToken: Ct));
        using var intruderShared = new ArcChannel(host.Address, (await CallerOptionsAsync(caller)) with { SharedMemoryBatches = true });
        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(async () =>
        {
            await foreach (var _ in new RemoteModelClient<ImageData, ClassData>(intruderShared).FitStreamAsync(OneBatch(batch), cancellationToken: Ct)) { }
        });
        Assert.Empty(model.FittedBatches);

        using var owner = new ArcChannel(host.Address, host.ClientOptions);
        await new RemoteModelClient<ImageData, ClassData>(owner).FitAsync(batch.Inputs, batch.Targets, cancellationToken: Ct);
        Assert.Single(model.FittedBatches);
    }

    [Fact]
    public async Task The_benchmark_only_worker_without_the_token_check_serves_a_tokenless_caller_on_loopback_only()
    {
        // What bench/Arc.Bench compares the token against: it must really check nothing, and be reachable from no public API.
        var model = new ScriptedModel("unguarded", 10);
        await using var host = await ArcWorkerHost.StartWithoutTokenForBenchmarkAsync(new SupervisedModelHandler<ImageData, ClassData>(model, ownsModel: true), cancellationToken: Ct);
        using var tokenless = new ArcChannel(host.Address, new ArcChannelOptions());
        var batch = TestData.Numbered(4);

        await new RemoteModelClient<ImageData, ClassData>(tokenless).FitAsync(batch.Inputs, batch.Targets, cancellationToken: Ct);

        Assert.Single(model.FittedBatches);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ArcWorkerHost.StartWithoutTokenForBenchmarkAsync(
            new SupervisedModelHandler<ImageData, ClassData>(model), new ArcWorkerOptions { Address = System.Net.IPAddress.Any }, Ct));
        Assert.DoesNotContain(typeof(ArcWorkerHost).GetMethods(), m => m.Name.Contains("WithoutToken", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(ArcWorkerOptions).GetProperties(), p => p.Name.Contains("Token", StringComparison.Ordinal) && p.PropertyType == typeof(bool));
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task A_job_worker_streams_nothing_for_a_caller_without_its_token(string caller)
    {
        var job = new CountingJob<ImageData, ClassData>(InMemoryJob.Numbered());
        await using var host = await ArcWorkerHost.StartJobAsync(new SupervisedJobHandler<ImageData, ClassData>(job), cancellationToken: Ct);
        using var intruder = new ArcChannel(host.Address, await CallerOptionsAsync(caller));
        var client = new RemoteJobClient<ImageData, ClassData>(intruder);

        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(async () =>
        {
            await foreach (var _ in client.StreamAsync(4, "train", null, cancellationToken: Ct)) { }
        });
        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => client.DescribeAsync(cancellationToken: Ct));
        Assert.Equal(0, job.Streams(DataSplit.Train));

        await using var owner = await RemoteJob<ImageData, ClassData>.ConnectAsync(host.Address, host.ClientOptions, Ct);
        await foreach (var _ in owner.StreamAsync(4, DataSplit.Train, null, Ct)) { }
        Assert.Equal(1, job.Streams(DataSplit.Train));
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task A_pod_worker_invokes_nothing_for_a_caller_without_its_token(string caller)
    {
        var handler = new CountingPodHandler(new PodRegistrationHandler([TestPods.ScaleAsyncPod]));
        await using var host = await ArcWorkerHost.StartPodsAsync(handler, cancellationToken: Ct);
        await using var intruder = PodWorker.Connect(host.Address, await CallerOptionsAsync(caller));

        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => TestPods.ScaleRemoteAsync(intruder, [1, 2], cancellationToken: Ct));
        Assert.Equal(0, handler.Prepared);

        await using var owner = PodWorker.Connect(host.Address, host.ClientOptions);
        Assert.Equal(new double[] { 2, 4 }, await TestPods.ScaleRemoteAsync(owner, [1, 2], cancellationToken: Ct));
        Assert.Equal(1, handler.Prepared);
    }

    [Fact]
    public async Task A_raw_frame_without_the_token_is_refused_before_the_marshaller_reads_it()
    {
        var model = new ScriptedModel("guarded", 10);
        await using var host = await ArcWorkerHost.StartAsync(new SupervisedModelHandler<ImageData, ClassData>(model, ownsModel: true), cancellationToken: Ct);
        using var intruder = new ArcChannel(host.Address);
        var raw = new Method<byte[], byte[]>(MethodType.Unary, ArcModelMethods.ServiceName, "Fit",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        // Garbage that a marshaller would refuse with InvalidArgument: Unauthenticated proves nothing read it.
        var error = await Assert.ThrowsAsync<RpcException>(() => intruder.CallInvoker.AsyncUnaryCall(raw, null, new CallOptions(cancellationToken: Ct), [0xc1, 0xc1, 0xc1]).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        // An unknown method is not even revealed as unknown.
        var unknown = new Method<byte[], byte[]>(MethodType.Unary, "arc.Nothing", "Here", raw.RequestMarshaller, raw.ResponseMarshaller);
        var hidden = await Assert.ThrowsAsync<RpcException>(() => intruder.CallInvoker.AsyncUnaryCall(unknown, null, new CallOptions(cancellationToken: Ct), []).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, hidden.StatusCode);
        Assert.Empty(model.FittedBatches);
    }

    [Fact]
    public async Task Tokens_are_long_random_and_checked_for_shape()
    {
        string a = ArcWorkerToken.Generate(), b = ArcWorkerToken.Generate();
        Assert.NotEqual(a, b);
        Assert.Equal(43, a.Length); // 256 bits in unpadded URL-safe base64
        Assert.Throws<ArgumentException>(() => ArcWorkerToken.Validate("short"));
        Assert.Throws<ArgumentException>(() => ArcWorkerToken.Validate(new string('a', 40) + " b"));
        Assert.Throws<ArgumentException>(() => new ArcChannel(new Uri("http://127.0.0.1:1"), new ArcChannelOptions { Token = "short" }));
        await Assert.ThrowsAsync<ArgumentException>(() => ArcWorkerHost.StartAsync(new RowArgmaxModel(2), new ArcWorkerOptions { Token = "short" }, Ct));
    }

    [Fact]
    public async Task A_local_process_worker_keeps_its_token_out_of_its_command_line_and_environment()
    {
        var registration = Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(WorkerMlp.Registration, exactMatch: false);
        await using var deployed = await registration.DeployAsync(Target.LocalProcess, new WorkerMlp.Hyperparameters(), Ct);
        var worker = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(deployed);
        string token = worker.ClientOptions.Token!;

        string cmdline = await File.ReadAllTextAsync($"/proc/{worker.ProcessId}/cmdline", Ct);
        string environ = await File.ReadAllTextAsync($"/proc/{worker.ProcessId}/environ", Ct);
        Assert.DoesNotContain(token, cmdline);
        Assert.DoesNotContain(token, environ);
        Assert.Contains("ARC_WORKER_OWNER=stdin", environ);

        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => RemoteModel<ImageData, ClassData>.ConnectAsync(worker.Address, ArcWorkerToken.Generate(), Ct));
        await using var second = await RemoteModel<ImageData, ClassData>.ConnectAsync(worker.Address, token, Ct);
        Assert.Equal("workermlp", second.Name);
    }

    /// <summary>Counts the pod calls that got as far as the handler.</summary>
    private sealed class CountingPodHandler(IRemotePodHandler inner) : IRemotePodHandler
    {
        private int _prepared;

        public int Prepared => Volatile.Read(ref _prepared);

        public PodCatalog Describe() => inner.Describe();

        public PodCall? Prepare(string pod, ReadOnlyMemory<byte> arguments)
        {
            Interlocked.Increment(ref _prepared);
            return inner.Prepare(pod, arguments);
        }
    }

    private static async IAsyncEnumerable<(ImageData, ClassData)> OneBatch(Batch<ImageData, ClassData> batch)
    {
        await Task.Yield();
        yield return (batch.Inputs, batch.Targets);
    }
}
