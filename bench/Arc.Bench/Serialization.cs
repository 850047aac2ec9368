using System.Buffers;
using MessagePack;
using Arc.Types;

namespace Arc.Bench;

/// <summary>
/// Encode + decode throughput of the Arc wire form for float batches, side by side with the physical floor (two
/// Buffer.BlockCopy calls of the same bytes into fresh buffers) and MessagePack's default float[] formatter.
/// Targets: the wire form reaches at least half the copy's throughput and five times the default formatter's.
/// </summary>
public static class Serialization
{
    private const double CopyTarget = 0.5;
    private const double DefaultTarget = 5.0;

    private static object? s_sink; // keeps results alive so no loop is optimised away

    /// <summary>Runs the group and prints its table.</summary>
    public static void Run(BenchOptions options)
    {
        Console.WriteLine("serialization: encode + decode, GB/s of tensor bytes (higher is better)");
        Console.WriteLine($"{"batch",-22} {"case",-34} {"GB/s",8} {"vs copy",9} {"vs default",11}");
        var verdicts = new List<string>();
        foreach (var shape in new[] { new[] { 64, 1, 28, 28 }, new[] { 1, 3, 224, 224 } })
            verdicts.Add(RunShape(shape, options));
        Console.WriteLine();
        foreach (var v in verdicts) Console.WriteLine(v);
    }

    private static string RunShape(int[] shape, BenchOptions options)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var values = new float[count];
        var random = new Random(42);
        for (int i = 0; i < count; i++) values[i] = (float)random.NextDouble();
        var image = new ImageData(ArcArray.From(values, shape));
        long bytes = count * sizeof(float);
        string label = $"{string.Join("×", shape)} float32";
        var reused = new ArrayBufferWriter<byte>(checked((int)bytes + 256));

        CheckOnce(image, values, reused);

        var speeds = Measure.GigabytesPerSecond(new Action[]
        {
            () => s_sink = CopyRoundTrip(values),
            () => s_sink = ArcWire.Deserialize<ImageData>(ArcWire.Serialize(image)),
            () =>
            {
                reused.ResetWrittenCount();
                ArcWire.Serialize(reused, image);
                s_sink = ArcWire.Deserialize<ImageData>(reused.WrittenMemory);
            },
            () => s_sink = MessagePackSerializer.Deserialize<float[]>(MessagePackSerializer.Serialize(values)),
        }, bytes, options.CaseDuration);
        double copy = speeds[0], wire = speeds[1], wireReused = speeds[2], standard = speeds[3];

        Row(label, "Buffer.BlockCopy there and back", copy, copy, standard);
        Row("", "Arc wire (byte[] payload)", wire, copy, standard);
        Row("", "Arc wire (reused IBufferWriter)", wireReused, copy, standard);
        Row("", "MessagePack default float[]", standard, copy, standard);

        double toCopy = wire / copy, toDefault = wire / standard;
        return $"{label}: wire/copy = {toCopy:0.00}× (target ≥ {CopyTarget}×: {(toCopy >= CopyTarget ? "met" : "NOT met")}), " +
               $"wire/default = {toDefault:0.0}× (target ≥ {DefaultTarget}×: {(toDefault >= DefaultTarget ? "met" : "NOT met")})";
    }

    /// <summary>The physical floor: the same bytes copied into a fresh byte buffer and back into a fresh float array.</summary>
    private static float[] CopyRoundTrip(float[] values)
    {
        int length = values.Length * sizeof(float);
        var payload = GC.AllocateUninitializedArray<byte>(length);
        Buffer.BlockCopy(values, 0, payload, 0, length);
        var back = GC.AllocateUninitializedArray<float>(values.Length);
        Buffer.BlockCopy(payload, 0, back, 0, length);
        return back;
    }

    /// <summary>Every measured path must give back the original numbers, or its speed means nothing.</summary>
    private static void CheckOnce(ImageData image, float[] values, ArrayBufferWriter<byte> reused)
    {
        if (!CopyRoundTrip(values).AsSpan().SequenceEqual(values)) throw new InvalidOperationException("copy round trip changed the values");
        if (!ArcWire.Deserialize<ImageData>(ArcWire.Serialize(image)).ContentEquals(image)) throw new InvalidOperationException("wire round trip changed the values");
        reused.ResetWrittenCount();
        ArcWire.Serialize(reused, image);
        if (!ArcWire.Deserialize<ImageData>(reused.WrittenMemory).ContentEquals(image)) throw new InvalidOperationException("wire (IBufferWriter) round trip changed the values");
        if (!MessagePackSerializer.Deserialize<float[]>(MessagePackSerializer.Serialize(values)).AsSpan().SequenceEqual(values)) throw new InvalidOperationException("default formatter changed the values");
    }

    private static void Row(string label, string name, double gbs, double copy, double standard)
        => Console.WriteLine($"{label,-22} {name,-34} {gbs,8:0.00} {gbs / copy,8:0.00}× {gbs / standard,10:0.0}×");
}
