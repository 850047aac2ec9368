using Grpc.Core;
using MessagePack;
using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Raw frames sent past the typed client (a byte[] passthrough marshaller) to a real worker: whatever does not
/// decode gets InvalidArgument naming the message, and the worker keeps answering valid calls.
/// </summary>
public sealed class HostilePayloadTests
{
    private const int Rows = 4, Width = 6;

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> RawPredict = new(MethodType.Unary, ArcModelMethods.ServiceName, "Predict", Raw, Raw);
    private static readonly Method<byte[], byte[]> RawFit = new(MethodType.Unary, ArcModelMethods.ServiceName, "Fit", Raw, Raw);

    [Fact]
    public async Task Random_and_mutated_frames_get_InvalidArgument_and_the_worker_keeps_serving()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);
        var (images, pixels) = RemoteTestData.Images(3, Rows, Width, seed: 5);
        byte[] valid = ArcWire.Serialize(images);
        byte[] validFit = FitFrame(images, new ClassData([0L, 1L, 2L], ["a", "b", "c", "d"]));
        var random = new Random(20261123);
        int invalid = 0, accepted = 0;

        for (int i = 0; i < 320; i++)
        {
            var (method, frame, mustFail) = (i % 8) switch
            {
                0 => (RawPredict, RandomBytes(random, random.Next(0, 200)), true),
                1 => (RawPredict, valid[..random.Next(0, valid.Length)], true),                      // truncated
                2 => (RawPredict, [.. valid, .. RandomBytes(random, random.Next(1, 9))], true),       // trailing bytes
                3 => (RawPredict, [(byte)(0x80 | random.Next(1, 16)), .. RandomBytes(random, random.Next(0, 64))], true),
                4 => (RawFit, RandomBytes(random, random.Next(0, 200)), true),
                5 => (RawFit, validFit[..random.Next(0, validFit.Length)], true),
                6 => (RawFit, ForgedLength(valid), true),
                _ => (RawPredict, FlipHeaderByte(random, valid), false),
            };
            // A flipped header byte can still be a valid image (e.g. a skipped unknown key); the wire reader of
            // Arc.Types, independent of the transport, says which outcome is right.
            bool decodes = !mustFail && Decodes(frame);
            try
            {
                await channel.CallInvoker.AsyncUnaryCall(method, null, new CallOptions(cancellationToken: ct), frame);
                Assert.True(decodes, $"frame {i} ({Convert.ToHexString(frame.AsSpan(0, Math.Min(32, frame.Length)))}) was accepted");
                accepted++;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
            {
                Assert.False(decodes, $"frame {i} decodes locally but the worker refused it: {e.Status.Detail}");
                Assert.StartsWith("malformed '", e.Status.Detail);
                invalid++;
            }
        }

        Assert.True(invalid >= 280, $"only {invalid} frames were refused");
        Assert.Equal(320, invalid + accepted);
        var predicted = await client.PredictAsync(images, cancellationToken: ct);
        Assert.Equal(RowArgmaxModel.Expected(pixels, 3, Rows, Width, new float[Rows]), predicted.IndexSpan.ToArray());
    }

    [Fact]
    public async Task A_fit_request_with_mismatched_rows_is_refused_by_the_client_before_sending_and_by_the_worker_before_the_model_sees_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var (images, _) = RemoteTestData.Images(3, Rows, Width, seed: 2);
        var targets = new ClassData([0L, 1L], ["a", "b", "c", "d"]);

        // The client checks first, with the text a local model gives (docs/errors.md).
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => new RemoteModelClient<ImageData, ClassData>(channel)
            .FitAsync(images, targets, cancellationToken: ct));
        Assert.Equal("3 inputs but 2 targets (Parameter 'targets')", refused.Message);

        // A client that does not check (another language's, a forged frame) meets the worker's own check.
        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CallInvoker
            .AsyncUnaryCall(RawFit, null, new CallOptions(cancellationToken: ct), FitFrame(images, targets)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("x has 3 rows but y has 2", error.Status.Detail);
    }

    [Fact]
    public async Task A_frame_quoting_a_huge_key_gets_a_clipped_InvalidArgument_and_the_calls_beside_it_on_its_connection_succeed()
    {
        // Found by the live fuzzer: the reader's message quoted a caller's string whole (then a map key, now that unknown
        // keys are skipped a dtype name), so the status detail (a header, percent-encoded) passed the client's 64 KiB
        // header limit, and the client failed the connection and every call on it.
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);
        var (images, pixels) = RemoteTestData.Images(3, Rows, Width, seed: 8);
        string dtype = new('é', 70_000); // 140,000 UTF-8 bytes, 420,000 characters once percent-encoded
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(1);
        writer.Write("x");
        WireWriter.WriteHeader(ref writer, ImageData.WireTag, 3);
        writer.Write("dtype");
        writer.Write(dtype);
        writer.Write("shape");
        writer.WriteArrayHeader(1);
        writer.Write(0);
        writer.Write("data");
        writer.WriteBinHeader(0);
        writer.Flush();
        byte[] frame = buffer.WrittenSpan.ToArray();

        var hostile = Assert.ThrowsAsync<RpcException>(() => channel.CallInvoker.AsyncUnaryCall(RawFit, null, new CallOptions(cancellationToken: ct), frame).ResponseAsync);
        var beside = Enumerable.Range(0, 8).Select(_ => client.PredictAsync(images, cancellationToken: ct)).ToArray();
        var error = await hostile;

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("malformed 'fit request' (", error.Status.Detail);
        Assert.Contains("unknown dtype 'éééé", error.Status.Detail);
        Assert.EndsWith($"characters)", error.Status.Detail);
        Assert.True(error.Status.Detail.Length < StatusDetails.MaxChars + 40, $"the detail has {error.Status.Detail.Length} characters");
        var expected = RowArgmaxModel.Expected(pixels, 3, Rows, Width, new float[Rows]);
        foreach (var predicted in await Task.WhenAll(beside))
            Assert.Equal(expected, predicted.IndexSpan.ToArray());
    }

    private static bool Decodes(byte[] frame)
    {
        try { ArcWire.Deserialize<ImageData>(frame); return true; }
        catch (ArcFormatException) { return false; }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>One byte changed among the first 48 (keys, tag, dtype, shape, the bin's length), never in the pixels.</summary>
    private static byte[] FlipHeaderByte(Random random, byte[] valid)
    {
        var copy = (byte[])valid.Clone();
        int at = random.Next(0, Math.Min(48, copy.Length));
        copy[at] ^= (byte)random.Next(1, 256);
        return copy;
    }

    /// <summary>A fit map whose image claims a 2 GB pixel bin followed by only the real pixels.</summary>
    private static byte[] ForgedLength(byte[] image)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(2);
        writer.Write("x");
        writer.WriteMapHeader(5);
        writer.Write("arc"); writer.Write("image");
        writer.Write("v"); writer.Write(ArcWire.Version);
        writer.Write("dtype"); writer.Write("float32");
        writer.Write("shape"); writer.WriteArrayHeader(4); writer.Write(1); writer.Write(1); writer.Write(Rows); writer.Write(Width);
        writer.Write("data");
        writer.Flush();
        byte[] bin32 = [0xC6, 0x7F, 0xFF, 0xFF, 0xF0]; // bin 32 header claiming 2,147,483,632 bytes
        return [.. buffer.WrittenSpan, .. bin32, .. image];
    }

    private static byte[] FitFrame(ImageData x, ClassData y)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(2);
        writer.Write("x");
        ImageData.WriteWire(ref writer, x);
        writer.Write("y");
        ClassData.WriteWire(ref writer, y);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
