using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using MessagePack;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// <c>arc.Pod</c> and <see cref="PodWorker"/>: the generated remote forms of <see cref="TestPods"/> run in process, on
/// a loopback worker and in an Arc.Worker child process; errors, unknown pods and hostile frames on a real worker.
/// </summary>
public sealed class PodTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> RawInvoke = new(MethodType.Unary, ArcPodMethods.ServiceName, "Invoke", Raw, Raw);

    private readonly ConcurrentQueue<string> _log = new();

    private Target LocalProcess => Target.LocalProcessWith(new LocalProcessOptions { Log = _log.Enqueue });

    private static PodRegistration[] Served => [TestPods.ScaleAsyncPod, TestPods.ProcessIdPod, TestPods.FailPod];

    public static TheoryData<string> SafeTargets => new("in-process", "loopback-worker");

    private static Target ByKind(string kind) => kind == "in-process" ? Target.InProcess : Target.LoopbackWorker;

    [Fact]
    public void The_generated_field_is_the_registered_instance()
    {
        Assert.Same(TestPods.ScaleAsyncPod, ArcRegistry.GetPod("test.scale"));
        Assert.Equal(["values", "factor"], TestPods.ScaleAsyncPod.Parameters.Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(SafeTargets))]
    public async Task The_remote_form_returns_what_the_method_returns(string kind)
    {
        await using var worker = await ByKind(kind).DeployPodsAsync(Served, Ct);
        double[] values = [1.5, -2, 0, 1e300];

        Assert.Equal(await TestPods.ScaleAsync(values, Ct, 3), await TestPods.ScaleRemoteAsync(worker, values, 3, Ct));
        Assert.Equal(await TestPods.ScaleAsync(values, Ct), await TestPods.ScaleRemoteAsync(worker, values, cancellationToken: Ct));
        Assert.Equal(Environment.ProcessId, await TestPods.ProcessIdRemoteAsync(worker, Ct));
        Assert.Equal(Environment.ProcessId, worker.ProcessId);
    }

    [Fact]
    public async Task A_pod_exception_on_a_worker_arrives_with_its_type_message_and_stack_and_the_worker_keeps_serving()
    {
        await using var host = await ArcWorkerHost.StartPodsAsync(new PodRegistrationHandler(Served), new ArcWorkerOptions { DetailedErrors = true }, Ct);
        await using var worker = PodWorker.Connect(host.Address, host.ClientOptions);
        Assert.Null(worker.ProcessId); // a worker merely connected to may be anywhere

        var error = await Assert.ThrowsAsync<ArcRemoteException>(() => TestPods.FailRemoteAsync(worker, "no luck today", Ct));

        Assert.Equal(typeof(InvalidOperationException).FullName, error.RemoteType);
        Assert.Equal("no luck today", error.RemoteMessage);
        Assert.Contains(nameof(TestPods.Fail), error.RemoteStackTrace);
        Assert.Equal(new double[] { 4.0 }, await TestPods.ScaleRemoteAsync(worker, [2], cancellationToken: Ct));
    }

    [Fact]
    public async Task Cancelling_a_remote_call_cancels_the_pods_token_on_the_worker()
    {
        TestPods.WaitStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TestPods.WaitCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await Target.LoopbackWorker.DeployPodsAsync([TestPods.WaitForCancellationAsyncPod], Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = TestPods.WaitForCancellationRemoteAsync(worker, cancel.Token);
        await TestPods.WaitStarted.Task.WaitAsync(Ct);
        cancel.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cancel.Token, error.CancellationToken);
        await TestPods.WaitCancelled.Task.WaitAsync(Ct);
    }

    [Fact]
    public async Task A_pod_the_worker_does_not_serve_is_NotFound_naming_it_and_the_served_ones()
    {
        await using var worker = await Target.LoopbackWorker.DeployPodsAsync([TestPods.ScaleAsyncPod], Ct);

        var error = await Assert.ThrowsAsync<ArcRemoteCallException>(() => TestPods.ProcessIdRemoteAsync(worker, Ct));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'test.where'", error.Detail);
        Assert.Contains("test.scale", error.Detail);
    }

    [Fact]
    public async Task Describe_lists_the_served_pods_with_their_parameters()
    {
        await using var host = await ArcWorkerHost.StartPodsAsync(new PodRegistrationHandler(Served), cancellationToken: Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);

        var catalog = await new RemotePodClient(channel).DescribeAsync(cancellationToken: Ct);

        Assert.Equal(["test.fail", "test.scale", "test.where"], catalog.Pods.Select(p => p.Name));
        var scale = catalog.Pods[1];
        Assert.Equal([("values", "System.Double[]"), ("factor", "System.Double")], scale.Parameters.Select(p => (p.Name, p.Type)));
        Assert.Equal("System.Double[]", scale.ResultType);
    }

    [Fact]
    public async Task Random_and_mutated_frames_get_InvalidArgument_and_the_worker_keeps_serving()
    {
        await using var host = await ArcWorkerHost.StartPodsAsync(new PodRegistrationHandler(Served), cancellationToken: Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        byte[] valid = Request("test.scale", TestPods.ScaleAsyncPod.WriteArguments(new TestPods.ScaleAsyncArguments([1, 2, 3], 2)));
        var random = new Random(20261123);
        int refused = 0, accepted = 0;

        for (int i = 0; i < 240; i++)
        {
            byte[] frame = (i % 6) switch
            {
                0 => RandomBytes(random, random.Next(0, 120)),
                1 => valid[..random.Next(0, valid.Length)],                                        // truncated
                2 => [.. valid, .. RandomBytes(random, random.Next(1, 9))],                        // trailing bytes
                3 => Request("test.scale", Map("values", "not numbers")),          // a mistyped argument
                4 => Request("test.scale", Map("factor", 2.0)),                     // a required argument missing
                _ => Flip(random, valid),
            };
            try
            {
                var reply = await channel.CallInvoker.AsyncUnaryCall(RawInvoke, null, new CallOptions(cancellationToken: Ct), frame);
                Assert.True(i % 6 == 5, $"frame {i} ({Convert.ToHexString(frame)}) was accepted");
                Assert.NotEmpty(reply);
                accepted++;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound)
            {
                if (i % 6 is 3 or 4)
                {
                    Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
                    Assert.Contains(i % 6 == 3 ? "values: expected an array but found a string" : "the required key 'values' is missing", e.Status.Detail);
                    Assert.StartsWith("malformed arguments of pod 'test.scale' (", e.Status.Detail);
                }
                refused++;
            }
        }

        Assert.True(refused >= 200, $"only {refused} frames were refused");
        Assert.Equal(240, refused + accepted);
        await using var worker = PodWorker.Connect(host.Address, host.ClientOptions);
        Assert.Equal(new double[] { 2.0, 4.0 }, await TestPods.ScaleRemoteAsync(worker, [1, 2], cancellationToken: Ct));
    }

    [Fact]
    public async Task An_unknown_pod_with_a_huge_name_gets_NotFound_quoting_the_name_clipped_and_listing_the_served_pods()
    {
        await using var host = await ArcWorkerHost.StartPodsAsync(new PodRegistrationHandler(Served), cancellationToken: Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        string name = new('ü', 70_000); // quoted whole, the detail would pass a client's 64 KiB header limit

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CallInvoker
            .AsyncUnaryCall(RawInvoke, null, new CallOptions(cancellationToken: Ct), Request(name, Map("values", "x"))).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.StartsWith($"this worker serves no pod named '{name[..StatusDetails.MaxQuotedChars]}… (70000 characters)'", error.Status.Detail);
        Assert.EndsWith("it serves: test.fail, test.scale, test.where", error.Status.Detail);
    }

    [Fact]
    public async Task Pods_in_a_worker_process_run_there_and_a_dying_worker_fails_the_call_at_once()
    {
        await using var worker = await LocalProcess.DeployPodsAsync([TestPods.ScaleAsyncPod], Ct);
        int pid = Assert.NotNull(worker.ProcessId);
        Assert.NotEqual(Environment.ProcessId, pid);
        Assert.Equal(pid, await TestPods.ProcessIdRemoteAsync(worker, Ct)); // it serves every pod of this assembly
        Assert.Equal(new double[] { 3.0, -3.0 }, await TestPods.ScaleRemoteAsync(worker, [1, -1], 3, Ct));

        var error = await Assert.ThrowsAsync<ArcWorkerExitedException>(() => TestPods.ExitRemoteAsync(worker, 7, Ct));

        Assert.Equal(pid, error.ProcessId);
        Assert.Equal(7, error.ExitCode);
        Assert.Contains("pod 'test.exit'", error.Message);
    }

    [Fact]
    public async Task A_local_process_worker_is_gone_after_dispose()
    {
        var worker = await LocalProcess.DeployPodsAsync([TestPods.ScaleAsyncPod], Ct);
        int pid = Assert.NotNull(worker.ProcessId);
        await worker.DisposeAsync();
        Assert.True(IsGone(pid), $"worker process {pid} is still running");
    }

    internal static bool IsGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>A one-entry argument map: <paramref name="key"/> with a string or a double.</summary>
    private static byte[] Map(string key, object value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(1);
        writer.Write(key);
        if (value is string text) writer.Write(text);
        else writer.Write((double)value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Request(string pod, byte[] arguments)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(2);
        writer.Write("pod");
        writer.Write(pod);
        writer.Write("arguments");
        writer.WriteRaw(arguments);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Flip(Random random, byte[] valid)
    {
        var copy = (byte[])valid.Clone();
        copy[random.Next(0, copy.Length)] ^= (byte)random.Next(1, 256);
        return copy;
    }
}
