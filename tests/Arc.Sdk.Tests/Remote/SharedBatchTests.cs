using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Arc.Sdk.Tests.Support;
using Arc.Sdk.Tests.Torch;
using Grpc.Core;
using MessagePack;
using TorchSharp;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Pipelined fitting through shared batch files (<c>/arc.Model/FitStreamShared</c>, <see cref="ArcChannelOptions.SharedMemoryBatches"/>):
/// the same results as over the socket, files that vanish as soon as they can, and a worker that trusts a file no more
/// than a request body — every refused directory, file or length ends the call with a status, and the worker keeps serving.
/// </summary>
[Collection(SharedBatchFilesCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // /dev/shm and file modes
public sealed class SharedBatchTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Method<SharedFitRequest<ImageData, ClassData>, FitReply> FitStreamShared = ArcModelMethods<ImageData, ClassData>.FitStreamShared;

    [Fact]
    public async Task Batches_through_shared_files_fit_bit_for_bit_as_over_the_socket_and_leave_no_file_behind()
    {
        var job = new DigitsJob(mnist.Data);
        torch.manual_seed(5);
        using var initial = new MemoryStream();
        using (var seed = new TinyMlp()) seed.SaveWeights(initial);
        await using var socketHost = await ArcWorkerHost.StartAsync(WorkerServices.Model(new TinyMlp()), cancellationToken: Ct);
        await using var sharedHost = await ArcWorkerHost.StartAsync(WorkerServices.Model(new TinyMlp()), cancellationToken: Ct);
        await using var socket = await RemoteModel<ImageData, ClassData>.ConnectAsync(socketHost.Address, socketHost.ClientOptions, Ct);
        await using var shared = await RemoteModel<ImageData, ClassData>.ConnectAsync(sharedHost.Address,
            sharedHost.ClientOptions with { SharedMemoryBatches = true }, Ct);
        foreach (var model in new[] { socket, shared })
        {
            initial.Position = 0;
            await model.LoadWeightsAsync(initial, Ct);
        }
        string[] before = CallDirectories();

        var socketResults = await socket.FitBatchesAsync(job.StreamAsync(batchSize: 64, shuffleSeed: 8, cancellationToken: Ct), Ct).ToListAsync(Ct);
        var seen = new List<(string[] Directories, string[] Files)>();
        var sharedResults = await shared.FitBatchesAsync(Observed(job.StreamAsync(batchSize: 64, shuffleSeed: 8, cancellationToken: Ct), seen, Ct), Ct).ToListAsync(Ct);

        Assert.Equal(13, sharedResults.Count);
        Assert.Equal(socketResults.Select(r => (r.Loss, r.Samples)), sharedResults.Select(r => (r.Loss, r.Samples)));
        Assert.Equal(await ModelWeights.Of(socket), await ModelWeights.Of(shared));
        // While the call ran it had one directory of its own (only the shared path makes one); once the worker had
        // answered from all three slots, no file in it had a name any more (the two ends hold them open); after the
        // call the directory is gone.
        var during = seen.Select(s => s.Directories.Except(before).ToArray()).ToArray();
        Assert.All(during, d => Assert.Single(d));
        Assert.Empty(seen[^1].Files);
        Assert.Empty(CallDirectories().Except(before));
    }

    [Fact]
    public async Task Small_batches_travel_inline_on_the_same_call()
    {
        var model = new ScriptedModel("small", 10);
        await using var host = await ArcWorkerHost.StartAsync(WorkerServices.Model(model), cancellationToken: Ct);
        await using var remote = await RemoteModel<ImageData, ClassData>.ConnectAsync(host.Address, host.ClientOptions with { SharedMemoryBatches = true }, Ct);

        var results = await remote.FitBatchesAsync(InMemoryJob.Numbered(train: 10).StreamAsync(4, cancellationToken: Ct), Ct).ToListAsync(Ct);

        Assert.Equal([4, 4, 2], results.Select(r => r.Samples));
        Assert.Equal(Enumerable.Range(0, 10), model.FittedBatches.SelectMany(ids => ids).Order());
    }

    [Fact]
    public async Task A_directory_that_is_not_a_private_call_directory_is_refused_and_the_worker_keeps_serving()
    {
        var model = new ScriptedModel("guarded", 10);
        await using var host = await ArcWorkerHost.StartAsync(WorkerServices.Model(model), cancellationToken: Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var batch = TestData.Numbered(3);
        using var open = CallDirectory.Create(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        open.Write(0, Encode(batch.Inputs, batch.Targets));
        using var target = CallDirectory.Create();
        target.Write(0, Encode(batch.Inputs, batch.Targets));
        string link = SharedBatchFiles.NewDirectoryPath(Environment.ProcessId);
        File.CreateSymbolicLink(link, target.Path);
        try
        {
            (string Directory, StatusCode Code, string Message)[] cases =
            [
                ("/tmp", StatusCode.InvalidArgument, "'/tmp' is not a shared batch directory"),
                (target.Path + "/../" + Path.GetFileName(target.Path), StatusCode.InvalidArgument, "is not a shared batch directory"),
                ($"{SharedBatchFiles.Root}/{SharedBatchFiles.Prefix}1-{new string('0', 32)}", StatusCode.FailedPrecondition, "does not exist where the worker runs"),
                (open.Path, StatusCode.InvalidArgument, "is open to other users (mode 0705; it must be 0700)"),
                (link, StatusCode.InvalidArgument, "is a symbolic link"),
            ];
            foreach (var (directory, code, message) in cases)
            {
                var e = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, directory, SharedFitRequest<ImageData, ClassData>.InSlot(0, 100)));
                Assert.Equal(code, e.StatusCode);
                Assert.Contains(message, e.Status.Detail);
            }
        }
        finally
        {
            File.Delete(link);
        }

        Assert.Empty(model.FittedBatches);
        await AssertServesAsync(channel, target.Path, model);
    }

    [Fact]
    public async Task A_missing_short_linked_oversized_or_malformed_batch_file_ends_the_call_with_its_reason()
    {
        var model = new ScriptedModel("guarded", 10);
        await using var host = await ArcWorkerHost.StartAsync(WorkerServices.Model(model), new ArcWorkerOptions { MaxReceiveMessageBytes = 1 << 20 }, Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var batch = TestData.Numbered(3);
        byte[] good = Encode(batch.Inputs, batch.Targets);
        using var directory = CallDirectory.Create();
        directory.Write(0, good);
        directory.Write(1, [0x82, 0xA1, 0x78, 0xC1]); // a map whose first value is the never-used byte 0xC1
        File.CreateSymbolicLink(Path.Combine(directory.Path, "2"), Path.Combine(directory.Path, "0"));
        File.WriteAllBytes(Path.Combine(directory.Path, "3"), good);
        File.SetUnixFileMode(Path.Combine(directory.Path, "3"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        (SharedFitRequest<ImageData, ClassData> Request, StatusCode Code, string Message)[] cases =
        [
            (SharedFitRequest<ImageData, ClassData>.InSlot(7, good.Length), StatusCode.InvalidArgument, "shared file 7 does not exist in"),
            (SharedFitRequest<ImageData, ClassData>.InSlot(0, good.Length + 1), StatusCode.InvalidArgument, $"shared file 0 ends after {good.Length} bytes, but the request says its batch takes {good.Length + 1}"),
            (SharedFitRequest<ImageData, ClassData>.InSlot(0, (1 << 20) + 1), StatusCode.ResourceExhausted, "more than the worker's limit of 1048576 bytes"),
            (SharedFitRequest<ImageData, ClassData>.InSlot(1, 4), StatusCode.InvalidArgument, "malformed 'fit request' (4 bytes, stopped at byte "),
            (SharedFitRequest<ImageData, ClassData>.InSlot(2, good.Length), StatusCode.InvalidArgument, "shared file 2 in"),
            (SharedFitRequest<ImageData, ClassData>.InSlot(3, good.Length), StatusCode.InvalidArgument, "is open to other users (mode 0640)"),
        ];
        foreach (var (request, code, message) in cases)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, directory.Path, request));
            Assert.Equal(code, e.StatusCode);
            Assert.Contains(message, e.Status.Detail);
        }
        var noDirectory = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, directory: null, SharedFitRequest<ImageData, ClassData>.InSlot(0, good.Length)));
        Assert.Equal(StatusCode.InvalidArgument, noDirectory.StatusCode);
        Assert.Contains("the call named no directory", noDirectory.Status.Detail);

        Assert.Empty(model.FittedBatches);
        await AssertServesAsync(channel, directory.Path, model);
    }

    [Fact]
    public void A_request_with_both_a_batch_and_a_slot_is_malformed()
    {
        var batch = TestData.Numbered(2);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        writer.Write("x");
        ImageData.WriteWire(ref writer, batch.Inputs);
        writer.Write("y");
        ClassData.WriteWire(ref writer, batch.Targets);
        writer.Write("slot");
        writer.Write(0);
        writer.Write("length");
        writer.Write(10);
        writer.Flush();

        var (request, malformed) = Arc.Testing.Fuzz.LocalWire.Decode(FitStreamShared.RequestMarshaller, buffer.WrittenSpan.ToArray());

        Assert.Null(request);
        Assert.Contains("either a batch (x and y) or its place in a shared file (slot and length), not both", malformed);
    }

    [Fact]
    public void A_writer_puts_large_batches_in_their_slot_file_small_ones_inline_and_drops_a_name_once_answered()
    {
        var large = (Inputs: mnist.Data.Train.Inputs.Slice(0, 64), Targets: mnist.Data.Train.Targets.Slice(0, 64));
        var small = TestData.Numbered(2);
        using var writer = SharedBatchWriter.TryCreate(3);
        Assert.NotNull(writer);

        var placed = writer.Place(large.Inputs, large.Targets, slot: 1, maxBytes: ArcChannelOptions.DefaultMaxMessageBytes);
        var inline = writer.Place(small.Inputs, small.Targets, slot: 2, maxBytes: ArcChannelOptions.DefaultMaxMessageBytes);
        var overLimit = writer.Place(large.Inputs, large.Targets, slot: 0, maxBytes: 1000);

        byte[] encoded = Encode(large.Inputs, large.Targets);
        Assert.Equal((1, encoded.Length), (placed.Slot, placed.Length));
        Assert.Null(placed.Inline);
        Assert.Equal(encoded, File.ReadAllBytes(Path.Combine(writer.Directory, "1")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(writer.Directory, "1")));
        Assert.Same(small.Inputs, inline.Inline?.Inputs);
        Assert.Same(large.Inputs, overLimit.Inline?.Inputs); // gRPC refuses it as any message over the limit
        Assert.Equal(["1"], Directory.GetFiles(writer.Directory).Select(Path.GetFileName));

        writer.Answered(1);
        Assert.Empty(Directory.GetFiles(writer.Directory));
        // The client still holds the file: the next batch for the slot is written into it without a name.
        var again = writer.Place(large.Inputs, large.Targets, slot: 1, maxBytes: ArcChannelOptions.DefaultMaxMessageBytes);
        Assert.Equal(1, again.Slot);
        Assert.Empty(Directory.GetFiles(writer.Directory));
    }

    [Fact]
    public async Task A_writer_removes_call_directories_whose_process_is_gone_and_keeps_live_ones()
    {
        int gone;
        using (var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            await exited.WaitForExitAsync(Ct);
            gone = exited.Id;
        }
        Assert.False(Directory.Exists($"/proc/{gone}"), "the finished process's id is in use again; rerun");
        string abandoned = SharedBatchFiles.NewDirectoryPath(gone);
        Directory.CreateDirectory(abandoned, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllBytes(Path.Combine(abandoned, "0"), new byte[100]);
        using var live = CallDirectory.Create();

        using (var writer = SharedBatchWriter.TryCreate(3))
        {
            Assert.NotNull(writer);
            Assert.True(Directory.Exists(writer.Directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(writer.Directory));
            Assert.Matches($"^{SharedBatchFiles.Root}/{SharedBatchFiles.Prefix}{Environment.ProcessId}-[0-9a-f]{{32}}$", writer.Directory);
        }

        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(live.Path));
    }

    /// <summary>Runs one FitStreamShared call with <paramref name="request"/>, returning the samples of its one reply.</summary>
    private static async Task<int> CallAsync(ArcChannel channel, string? directory, SharedFitRequest<ImageData, ClassData> request)
    {
        var headers = directory is null ? null : new Metadata { { SharedBatchFiles.Header, directory } };
        using var call = channel.CallInvoker.AsyncDuplexStreamingCall(FitStreamShared, null, new CallOptions(headers, cancellationToken: Ct));
        try
        {
            await call.RequestStream.WriteAsync(request, Ct);
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The worker may end the call before the request is written: its status is read below.
        }
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        int samples = call.ResponseStream.Current.Samples;
        Assert.False(await call.ResponseStream.MoveNext(Ct));
        return samples;
    }

    /// <summary>The worker still fits: a good batch from a file and one inline, on one call.</summary>
    private static async Task AssertServesAsync(ArcChannel channel, string directory, ScriptedModel model)
    {
        var batch = TestData.Numbered(3);
        byte[] good = Encode(batch.Inputs, batch.Targets);
        File.WriteAllBytes(Path.Combine(directory, "5"), good);
        File.SetUnixFileMode(Path.Combine(directory, "5"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(3, await CallAsync(channel, directory, SharedFitRequest<ImageData, ClassData>.InSlot(5, good.Length)));
        Assert.Equal(3, await CallAsync(channel, directory, SharedFitRequest<ImageData, ClassData>.Of(new(batch.Inputs, batch.Targets))));
        Assert.Equal(2, model.FittedBatches.Count);
    }

    private static byte[] Encode(ImageData x, ClassData y)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        ArcMarshallers.WritePair(ref writer, x, y);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static string[] CallDirectories()
        => Directory.GetDirectories(SharedBatchFiles.Root, $"{SharedBatchFiles.Prefix}{Environment.ProcessId}-*");

    /// <summary>Passes the batches on, noting before each which call directories exist and the files in the new one.</summary>
    private static async IAsyncEnumerable<Batch<ImageData, ClassData>> Observed(IAsyncEnumerable<Batch<ImageData, ClassData>> batches,
        List<(string[] Directories, string[] Files)> seen, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string[] before = CallDirectories();
        await foreach (var batch in batches.WithCancellation(cancellationToken))
        {
            var directories = CallDirectories();
            var files = directories.Except(before).SelectMany(d => Directory.GetFiles(d)).Select(f => Path.GetFileName(f)).Order().ToArray();
            seen.Add((directories, files));
            yield return batch;
        }
    }

    /// <summary>A call directory made by hand, as a client would (or with another mode), removed with what is in it.</summary>
    private sealed class CallDirectory : IDisposable
    {
        private CallDirectory(string path) => Path = path;

        public string Path { get; }

        public static CallDirectory Create(UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)
        {
            string path = SharedBatchFiles.NewDirectoryPath(Environment.ProcessId);
            Directory.CreateDirectory(path);
            File.SetUnixFileMode(path, mode); // set after creation, so the process's umask cannot narrow it
            return new CallDirectory(path);
        }

        public void Write(int slot, byte[] bytes)
        {
            string file = System.IO.Path.Combine(Path, slot.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.WriteAllBytes(file, bytes);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
