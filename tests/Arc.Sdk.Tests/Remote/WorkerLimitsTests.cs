using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Arc.Registration;
using Arc.Remote;
using Arc.Sdk.Tests.Support;
using Arc.Types;
using Grpc.Core;
using MessagePack;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The limits of <see cref="ArcWorkerOptions"/> under floods, against real workers: a bounded call queue answering
/// <c>ResourceExhausted</c>, idle and half-open connections, and the default deadline.
/// </summary>
public sealed class WorkerLimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_thousand_concurrent_large_fits_get_ResourceExhausted_quickly_and_the_worker_stays_in_its_memory_budget()
    {
        const int calls = 1000, rows = 512, side = 64; // 512 × 64 × 64 float32 = 8 MiB a request
        var registration = Assert.IsType<ModelRegistration<SlowFitModel, SlowFitModel.Hyperparameters, ImageData, ClassData>>(SlowFitModel.Registration, exactMatch: false);
        await using var deployed = await registration.DeployAsync(Target.LocalProcess, new SlowFitModel.Hyperparameters(FitMilliseconds: 3000), Ct);
        var worker = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(deployed);
        long baseline = ResidentBytes(worker.ProcessId);

        // One request frame shared by every call: the client must not be the one that runs out of memory.
        byte[] frame = GrpcFrame(FitMessage(rows, side));
        using var client = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = Timeout.InfiniteTimeSpan };
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes(worker.ProcessId));
                try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
            }
        }, CancellationToken.None);

        var flood = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => CallAsync(client, worker.Address, worker.ClientOptions.Token!, frame)));
        sampling.Cancel();
        await sampler;

        var refused = results.Where(r => r.Status == StatusCode.ResourceExhausted).ToArray();
        var fitted = results.Where(r => r.Status == StatusCode.OK).ToArray();
        Assert.Equal(calls, refused.Length + fitted.Length);
        // At most the running calls and the queue get through; everything else is refused.
        var options = new ArcWorkerOptions();
        Assert.InRange(fitted.Length, 1, options.MaxConcurrentCalls + options.MaxQueuedCalls);
        Assert.True(refused.Length >= calls - options.MaxConcurrentCalls - options.MaxQueuedCalls, $"only {refused.Length} of {calls} were refused");
        Assert.Contains("the worker is busy", refused[0].Message);
        // Quickly: a refusal does not wait for a slot, so it comes before the first fit (3 s) could have finished.
        var slowestRefusal = refused.Max(r => r.Elapsed);
        Assert.True(slowestRefusal < TimeSpan.FromSeconds(3), $"the slowest refusal took {slowestRefusal.TotalMilliseconds:0} ms");
        // The budget: the running calls' decoded requests (twice, for the raw frame and the decoded arrays), plus slack
        // for the runtime; a worker that buffered every request would need 8 GB.
        long budget = options.MaxConcurrentCalls * 2L * frame.Length + 256L * 1024 * 1024;
        Assert.True(peak - baseline < budget,
            $"the worker grew from {baseline >> 20} MiB to {peak >> 20} MiB during the flood (budget {budget >> 20} MiB)");

        // And it still serves its owner.
        Assert.Single((await deployed.PredictAsync(TestData.Numbered(1).Inputs, Ct)).IndexSpan.ToArray());
    }

    [Fact]
    public async Task Twenty_thousand_idle_connections_leave_the_owners_channel_answering_within_a_second()
    {
        await using var server = await ArcWorkerHost.StartAsync(new RowArgmaxModel(2), cancellationToken: Ct);
        await using var owner = await RemoteModel<ImageData, ClassData>.ConnectAsync(server.Address, server.ClientOptions, Ct);
        var (images, _) = RemoteTestData.Images(1, 2, 3, seed: 1);
        await owner.PredictAsync(images, Ct);

        // Two processes of 10,000 sockets each: one process's descriptor limit (20,000 here) would not hold them all.
        int perHolder = int.TryParse(Environment.GetEnvironmentVariable("ARC_TEST_IDLE_CONNECTIONS"), out int n) ? n : 10_000;
        var holders = new[] { StartIdleConnections(server.Port, perHolder), StartIdleConnections(server.Port, perHolder) };
        try
        {
            foreach (var holder in holders)
            {
                string? line = await holder.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(120), Ct);
                Assert.True(line is not null && line.StartsWith("OPENED ", StringComparison.Ordinal),
                    $"the idle-connection holder failed: {line} {await holder.StandardError.ReadToEndAsync(Ct)}");
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
    public async Task A_unary_call_without_a_deadline_gets_the_default_one()
    {
        var model = new WaitingModel();
        var options = new ArcWorkerOptions { DefaultCallDeadline = TimeSpan.FromMilliseconds(500) };
        await using var host = await ArcWorkerHost.StartAsync(new SupervisedModelHandler<ImageData, ClassData>(model, ownsModel: true), options, Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var (images, _) = RemoteTestData.Images(1, 2, 3, seed: 1);

        var error = await Assert.ThrowsAsync<RpcException>(() => new RemoteModelClient<ImageData, ClassData>(channel).PredictAsync(images, cancellationToken: Ct));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await model.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct); // the model's token fired too
    }

    private sealed record CallResult(StatusCode Status, string Message, TimeSpan Elapsed);

    /// <summary>One raw gRPC Fit over HTTP/2 whose body is <paramref name="frame"/>; the status from headers or trailers.</summary>
    private static async Task<CallResult> CallAsync(HttpClient client, Uri address, string token, byte[] frame)
    {
        var started = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/arc.Model/Fit"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            await (await response.Content.ReadAsStreamAsync(Ct)).CopyToAsync(Stream.Null, Ct);
            string? status = Header(response.Headers, "grpc-status") ?? Header(response.TrailingHeaders, "grpc-status");
            string message = Uri.UnescapeDataString(Header(response.Headers, "grpc-message") ?? Header(response.TrailingHeaders, "grpc-message") ?? "");
            return new CallResult(status is null ? StatusCode.Unknown : (StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), message, started.Elapsed);
        }
        catch (HttpRequestException e)
        {
            // A stream reset while the request body was still being sent: the server refused it before reading it.
            return new CallResult(StatusCode.Unavailable, e.Message, started.Elapsed);
        }
    }

    private static string? Header(HttpHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static byte[] FitMessage(int rows, int side)
    {
        var pixels = new float[rows * side * side];
        var images = new ImageData(ArcArray.From(pixels, rows, 1, side, side));
        var labels = new ClassData(new long[rows], ["zero"]);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(2);
        writer.Write("x");
        ImageData.WriteWire(ref writer, images);
        writer.Write("y");
        ClassData.WriteWire(ref writer, labels);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] GrpcFrame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private static long ResidentBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"no VmRSS for process {pid}");
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

    /// <summary>A model whose Predict waits until its token fires.</summary>
    private sealed class WaitingModel : ISupervisedModel<ImageData, ClassData>
    {
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "waiting";

        public ValueTask<FitResult> FitAsync(ImageData x, ClassData y, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async ValueTask<ClassData> PredictAsync(ImageData x, CancellationToken cancellationToken = default)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
            throw new UnreachableException();
        }

        public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
