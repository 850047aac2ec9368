using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench.Remote;

/// <summary>
/// Case (a): latency of one typed remote <c>PredictAsync</c> of a 1×1×28×28 sample through a worker process
/// (<c>Target.LocalProcess</c>, model <see cref="PredictProbe"/>) against a raw Grpc.Net unary call carrying the same
/// request bytes to a raw server in a child process that answers with the same reply bytes. Calls are sequential; the
/// cases (and three layer rows) take turns in blocks so all see the same machine state.
/// </summary>
public static class PredictLatency
{
    /// <summary>Runs the case and prints p50/p99 of both and the p50 ratio.</summary>
    public static async Task RunAsync(BenchOptions options)
    {
        int blocks = options.Quick ? 4 : 20, perBlock = options.Quick ? 100 : 500, warmUp = options.Quick ? 200 : 2000;
        var sample = new ImageData(ArcArray.From(Enumerable.Range(0, 784).Select(i => (i % 255) / 255f).ToArray(), 1, 1, 28, 28));
        byte[] requestBytes = ArcMarshallersBytes.Of(sample);
        byte[] replyBytes = ArcMarshallersBytes.Of(PredictProbe.Reply(1));

        var registration = (ModelRegistration<PredictProbe, PredictProbe.Hyperparameters, ImageData, ClassData>)ArcRegistry.GetModel("predictprobe");
        await using var arc = await registration.DeployAsync(Target.LocalProcess, new PredictProbe.Hyperparameters());
        await using var raw = await RawGrpcChild.StartAsync(replyBytes);
        using var channel = GrpcChannel.ForAddress(raw.Address);
        var invoker = channel.CreateCallInvoker();

        // Sanity: the raw server answers with exactly the bytes the Arc worker's reply decodes from.
        var arcReply = ArcMarshallersBytes.Of(await arc.PredictAsync(sample));
        var rawReply = await invoker.AsyncUnaryCall(RawGrpcMethods.Unary, null, default, requestBytes);
        if (!arcReply.SequenceEqual(rawReply))
            throw new InvalidOperationException("the raw server's reply differs from the Arc model's");

        // Layer rows: each adds one part of Arc's path to the raw call, so the gap between the two main rows splits
        // into the client's codec, the worker's layers (service, gate, codec) and the client's exit race.
        var worker = (LocalProcessModel<ImageData, ClassData>)arc;
        await using var noRace = await RemoteModel<ImageData, ClassData>.ConnectAsync(worker.Address, worker.ClientOptions);
        using var workerChannel = new ArcChannel(worker.Address, worker.ClientOptions);
        var workerInvoker = workerChannel.CallInvoker;
        var bytesToArcWorker = new Method<byte[], byte[]>(MethodType.Unary, ArcModelMethods.ServiceName, "Predict",
            RawGrpcMethods.Unary.RequestMarshaller, RawGrpcMethods.Unary.ResponseMarshaller);
        var typedToRawServer = new Method<ImageData, ClassData>(MethodType.Unary, RawGrpcMethods.Unary.ServiceName,
            RawGrpcMethods.Unary.Name, ArcMarshallers.For<ImageData>(), ArcMarshallers.For<ClassData>());

        Func<Task>[] cases =
        [
            async () => await arc.PredictAsync(sample),
            async () => await invoker.AsyncUnaryCall(RawGrpcMethods.Unary, null, default, requestBytes),
            async () => await invoker.AsyncUnaryCall(typedToRawServer, null, default, sample),
            async () => await workerInvoker.AsyncUnaryCall(bytesToArcWorker, null, default, requestBytes),
            async () => await noRace.PredictAsync(sample),
        ];
        string[] layers =
        [
            "",
            "",
            "raw + Arc's client codec (raw server)",
            "raw + Arc's worker (byte[] client)",
            "Arc without the client's exit race",
        ];
        foreach (var call in cases)
            for (int i = 0; i < warmUp; i++) await call();
        // CPU per call of both ends: this process (the client) and the server each case talks to.
        int self = Environment.ProcessId, workerPid = worker.ProcessId;
        int[] servers = [workerPid, raw.ProcessId, raw.ProcessId, workerPid, workerPid];
        var clientCpu = new long[cases.Length];
        var serverCpu = new long[cases.Length];
        bool cpuKnown = ProcessCpu.Nanoseconds(self) is not null;
        var latencies = cases.Select(_ => new List<double>(blocks * perBlock)).ToArray();
        for (int b = 0; b < blocks; b++)
            for (int c = 0; c < cases.Length; c++)
            {
                long client0 = ProcessCpu.Nanoseconds(self) ?? 0, server0 = ProcessCpu.Nanoseconds(servers[c]) ?? 0;
                for (int i = 0; i < perBlock; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    await cases[c]();
                    latencies[c].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
                clientCpu[c] += (ProcessCpu.Nanoseconds(self) ?? 0) - client0;
                serverCpu[c] += (ProcessCpu.Nanoseconds(servers[c]) ?? 0) - server0;
            }
        string Cpu(int c) => cpuKnown
            ? string.Create(CultureInfo.InvariantCulture, $"{clientCpu[c] / 1e3 / (blocks * perBlock),8:0.0} {serverCpu[c] / 1e3 / (blocks * perBlock),8:0.0}")
            : $"{"n/a",8} {"n/a",8}";

        var (arcP50, arcP99) = (Percentile(latencies[0], 0.50), Percentile(latencies[0], 0.99));
        var (rawP50, rawP99) = (Percentile(latencies[1], 0.50), Percentile(latencies[1], 0.99));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(a) Predict 1×1×28×28 ({requestBytes.Length} B request, {replyBytes.Length} B reply), {blocks * perBlock} sequential calls each, µs (lower is better)"));
        Console.WriteLine("    both servers are child processes on 127.0.0.1; the Arc model is trivial (class 0, pixels unread) and the raw");
        Console.WriteLine("    server returns the same reply bytes prepared in advance, so the difference is Arc's layers, not compute");
        Console.WriteLine($"    {"case",-44} {"p50",8} {"p99",8} {"CPU: client",12} {"server",8}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"Arc typed PredictAsync (Target.LocalProcess)",-44} {arcP50,8:0} {arcP99,8:0}    ") + Cpu(0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"raw Grpc.Net unary byte[] (child process)",-44} {rawP50,8:0} {rawP99,8:0}    ") + Cpu(1));
        for (int c = 2; c < cases.Length; c++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      {layers[c],-42} {Percentile(latencies[c], 0.50),8:0} {Percentile(latencies[c], 0.99),8:0}    ") + Cpu(c));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    ratio Arc/raw p50 {arcP50 / rawP50:0.00}× (target ≤ 1.20×), p99 {arcP99 / rawP99:0.00}×"));
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}

/// <summary>The gRPC payload bytes Arc's own marshallers write for a message.</summary>
public static class ArcMarshallersBytes
{
    /// <summary>The wire bytes of <paramref name="value"/> as a Predict request or reply carries them.</summary>
    public static byte[] Of<T>(T value) where T : class, IArcData<T> => Serialize(ArcMarshallers.For<T>(), value);

    /// <summary>The wire bytes of one job batch as the Stream call carries it.</summary>
    public static byte[] OfBatch(ImageData x, ClassData y)
        => Serialize(ArcJobMarshallers.Batch<ImageData, ClassData>(), new JobBatch<ImageData, ClassData>(x, y));

    private static byte[] Serialize<T>(Marshaller<T> marshaller, T value)
    {
        var context = new CapturingContext();
        marshaller.ContextualSerializer(value, context);
        return context.Payload ?? throw new InvalidOperationException("the marshaller did not complete the message");
    }

    /// <summary>Grpc.Core's serialization context, capturing the payload (Arc's marshallers are contextual only).</summary>
    private sealed class CapturingContext : SerializationContext
    {
        private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new();

        public byte[]? Payload { get; private set; }

        public override System.Buffers.IBufferWriter<byte> GetBufferWriter() => _buffer;

        public override void SetPayloadLength(int payloadLength) { }

        public override void Complete() => Payload = _buffer.WrittenSpan.ToArray();

        public override void Complete(byte[] payload) => Payload = payload;
    }
}
