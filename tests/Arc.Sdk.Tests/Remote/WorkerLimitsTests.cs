using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Arc.Sdk.Tests.Support;
using Grpc.Core;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The limits of <see cref="ArcWorkerOptions"/> under floods, against real workers: idle and half-open connections, and
/// the default deadline.
/// </summary>
public sealed class WorkerLimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Twenty_thousand_idle_connections_leave_the_owners_channel_answering_within_a_second()
    {
        // The worker in its own process, as a deployed worker is: the flood must cost it, not the test's own descriptors.
        var registration = Assert.IsType<Arc.Sdk.ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(
            WorkerMlp.Registration, exactMatch: false);
        await using var deployed = await registration.DeployAsync(Target.LocalProcess, new WorkerMlp.Hyperparameters(), Ct);
        var worker = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(deployed);
        await using var owner = await RemoteModel<ImageData, ClassData>.ConnectAsync(worker.Address, worker.ClientOptions, Ct);
        var images = new ImageData(ArcArray.From(new float[16], 1, 1, 4, 4));
        await owner.PredictAsync(images, Ct);

        // Two processes of 10,000 sockets each: one process's descriptor limit (20,000 here) would not hold them all.
        var holders = new[] { StartIdleConnections(worker.Address.Port, 10_000), StartIdleConnections(worker.Address.Port, 10_000) };
        try
        {
            foreach (var holder in holders)
            {
                string? line = await holder.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(120), Ct);
                if (line is null || !line.StartsWith("OPENED ", StringComparison.Ordinal))
                    Assert.Fail($"the idle-connection holder failed: {line} {await holder.StandardError.ReadToEndAsync(Ct)}");
            }

            var call = Stopwatch.StartNew();
            await owner.PredictAsync(images, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.True(call.Elapsed < TimeSpan.FromSeconds(1), $"the owner's call took {call.Elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            foreach (var holder in holders)
            {
                if (!holder.HasExited) holder.Kill();
                holder.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_connection_that_never_sends_the_preface_is_closed()
    {
        var options = new ArcWorkerOptions { HandshakeTimeout = TimeSpan.FromSeconds(1), IdleConnectionTimeout = TimeSpan.FromSeconds(1) };
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(2), options, Ct);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, host.Port, Ct);

        var open = Stopwatch.StartNew();
        var buffer = new byte[256];
        int read;
        do
        {
            read = await socket.ReceiveAsync(buffer, SocketFlags.None, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        while (read > 0); // Kestrel may send a GOAWAY first
        Assert.True(open.Elapsed < TimeSpan.FromSeconds(10), $"the silent connection stayed open {open.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_call_beyond_the_running_calls_and_the_queue_gets_ResourceExhausted_at_once_and_the_worker_recovers()
    {
        var model = new WaitingModel();
        var options = new ArcWorkerOptions { MaxConcurrentCalls = 1, MaxQueuedCalls = 1 };
        await using var host = await ArcWorkerHost.StartAsync(new SupervisedModelHandler<ImageData, ClassData>(model, ownsModel: true), options, Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);
        var (images, _) = RemoteTestData.Images(1, 2, 3, seed: 1);

        using var first = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var second = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = client.PredictAsync(images, cancellationToken: first.Token);
        await model.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var queued = client.PredictAsync(images, cancellationToken: second.Token);
        await Task.Delay(200, Ct); // let the second call reach the queue

        var refusedIn = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ArcRemoteCallException>(() => client.PredictAsync(images, cancellationToken: Ct));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("the worker is busy", error.Detail);
        Assert.True(refusedIn.Elapsed < TimeSpan.FromSeconds(5), $"the refusal took {refusedIn.Elapsed.TotalMilliseconds:0} ms");
        Assert.False(queued.IsCompleted);

        first.Cancel();
        second.Cancel();
        await Assert.ThrowsAnyAsync<Exception>(() => running);
        await Assert.ThrowsAnyAsync<Exception>(() => queued);
        model.Release = true;
        Assert.Single((await client.PredictAsync(images, cancellationToken: Ct)).IndexSpan.ToArray());
    }

    [Fact]
    public async Task A_unary_call_without_a_deadline_gets_the_default_one()
    {
        var model = new WaitingModel();
        var options = new ArcWorkerOptions { DefaultCallDeadline = TimeSpan.FromMilliseconds(500) };
        await using var host = await ArcWorkerHost.StartAsync(new SupervisedModelHandler<ImageData, ClassData>(model, ownsModel: true), options, Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var (images, _) = RemoteTestData.Images(1, 2, 3, seed: 1);

        var error = await Assert.ThrowsAsync<OperationCanceledException>(() => new RemoteModelClient<ImageData, ClassData>(channel).PredictAsync(images, cancellationToken: Ct));
        Assert.Equal(StatusCode.DeadlineExceeded, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        await model.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct); // the model's token fired too
    }

    /// <summary>A python process that opens <paramref name="count"/> TCP connections to the port, sends nothing and holds them.</summary>
    private static Process StartIdleConnections(int port, int count)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""
            import resource, socket, sys, time
            port, count = int(sys.argv[1]), int(sys.argv[2])
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            held = []
            for _ in range(count):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                try:
                    s.connect(("127.0.0.1", port))
                except BlockingIOError:
                    pass
                held.append(s)
            time.sleep(1)
            print("OPENED", len(held), flush=True)
            time.sleep(600)
            """);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(start)!;
    }
}
