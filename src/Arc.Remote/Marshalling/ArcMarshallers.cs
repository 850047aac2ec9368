using System.Buffers;
using Grpc.Core;
using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The gRPC marshallers of Arc's model service: Arc data in its wire form (docs/wire-format.md) and the small
/// request/reply maps around it. Written by hand over <see cref="WireReader"/> and <see cref="WireMap"/> (the one
/// reader and its policy), no reflection and no typeless resolver: the bytes never choose which .NET type is created.
/// </summary>
public static class ArcMarshallers
{
    /// <summary>An Arc data type in its wire form.</summary>
    public static Marshaller<T> For<T>() where T : class, IArcData<T>
        => WireMarshaller.Create<T>(T.WireTag, static (ref w, v) => T.WriteWire(ref w, v), static (ref r) => T.ReadWire(ref r));

    /// <summary><c>{"x": X, "y": Y}</c>.</summary>
    public static Marshaller<FitRequest<X, Y>> Fit<X, Y>() where X : class, IArcData<X> where Y : class, IArcData<Y>
        => WireMarshaller.Create<FitRequest<X, Y>>("fit request",
            static (ref w, v) => WritePair(ref w, v.Inputs, v.Targets),
            static (ref r) => { var (x, y) = ReadPair<X, Y>(ref r); return new FitRequest<X, Y>(x, y); });

    /// <summary><c>{"x": X, "y": Y}</c> or <c>{"slot": int, "length": int}</c> (<see cref="SharedFitRequest{X, Y}"/>).</summary>
    public static Marshaller<SharedFitRequest<X, Y>> SharedFit<X, Y>() where X : class, IArcData<X> where Y : class, IArcData<Y>
        => WireMarshaller.Create<SharedFitRequest<X, Y>>("fit request", WriteSharedFit, ReadSharedFit<X, Y>);

    /// <summary><c>{"loss": double, "samples": int}</c>.</summary>
    public static Marshaller<FitReply> FitReply { get; } = WireMarshaller.Create<FitReply>("fit reply", WriteFitReply, ReadFitReply);

    /// <summary>A bin.</summary>
    public static Marshaller<WeightsPayload> Weights { get; } = WireMarshaller.Create<WeightsPayload>("weights",
        static (ref w, v) => w.Write(v.Bytes.Span), ReadWeights);

    /// <summary>Nil (an empty map also reads).</summary>
    public static Marshaller<EmptyMessage> Empty { get; } = WireMarshaller.Create<EmptyMessage>("empty message",
        static (ref w, _) => w.WriteNil(), ReadEmpty);

    /// <summary><c>{"name", "x", "y"}</c>.</summary>
    public static Marshaller<ModelDescription> Description { get; } = WireMarshaller.Create<ModelDescription>("model description",
        WriteDescription, ReadDescription);

    /// <summary>Writes <c>{"x": X, "y": Y}</c> (a fit request, a job batch).</summary>
    internal static void WritePair<X, Y>(ref MessagePackWriter writer, X inputs, Y targets)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        writer.WriteMapHeader(2);
        writer.Write("x");
        X.WriteWire(ref writer, inputs);
        writer.Write("y");
        Y.WriteWire(ref writer, targets);
    }

    /// <summary>Reads <c>{"x": X, "y": Y}</c> with the same number of rows on both sides.</summary>
    internal static (X Inputs, Y Targets) ReadPair<X, Y>(ref MessagePackReader reader)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        var map = WireMap.Open(ref reader, "", tag: null);
        X? x = null;
        Y? y = null;
        while (map.NextKey(ref reader, out var key))
        {
            switch (key)
            {
                case "x": x = WireReader.ReadData<X>(ref reader, "x"); break;
                case "y": y = WireReader.ReadData<Y>(ref reader, "y"); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        var inputs = map.Required(x, "x");
        var targets = map.Required(y, "y");
        if (inputs.Count != targets.Count)
            throw map.Error($"x has {inputs.Count} rows but y has {targets.Count}");
        return (inputs, targets);
    }

    private static void WriteSharedFit<X, Y>(ref MessagePackWriter writer, SharedFitRequest<X, Y> value)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        if (value.Inline is { } batch)
        {
            WritePair(ref writer, batch.Inputs, batch.Targets);
            return;
        }
        writer.WriteMapHeader(2);
        writer.Write("slot");
        writer.Write(value.Slot);
        writer.Write("length");
        writer.Write(value.Length);
    }

    /// <summary>Reads a batch inline (<c>x</c> and <c>y</c>) or a place in a shared file (<c>slot</c> and <c>length</c>), never a mix.</summary>
    private static SharedFitRequest<X, Y> ReadSharedFit<X, Y>(ref MessagePackReader reader)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        var map = WireMap.Open(ref reader, "", tag: null);
        X? x = null;
        Y? y = null;
        int? slot = null, length = null;
        while (map.NextKey(ref reader, out var key))
        {
            switch (key)
            {
                case "x": x = WireReader.ReadData<X>(ref reader, "x"); break;
                case "y": y = WireReader.ReadData<Y>(ref reader, "y"); break;
                case "slot": slot = WireReader.ReadInt32(ref reader, key, min: 0, max: SharedBatchFiles.MaxSlots - 1); break;
                case "length": length = WireReader.ReadInt32(ref reader, key, min: 1); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        if (slot is null && length is null)
        {
            var inputs = map.Required(x, "x");
            var targets = map.Required(y, "y");
            if (inputs.Count != targets.Count)
                throw map.Error($"x has {inputs.Count} rows but y has {targets.Count}");
            return SharedFitRequest<X, Y>.Of(new FitRequest<X, Y>(inputs, targets));
        }
        if (x is not null || y is not null)
            throw map.Error("a request holds either a batch (x and y) or its place in a shared file (slot and length), not both");
        return SharedFitRequest<X, Y>.InSlot(map.Required(slot, "slot"), map.Required(length, "length"));
    }

    private static void WriteFitReply(ref MessagePackWriter writer, FitReply value)
    {
        writer.WriteMapHeader(2);
        writer.Write("loss");
        writer.Write(value.Loss);
        writer.Write("samples");
        writer.Write(value.Samples);
    }

    private static FitReply ReadFitReply(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, "", tag: null);
        double? loss = null;
        int? samples = null;
        while (map.NextKey(ref reader, out var key))
        {
            switch (key)
            {
                case "loss": loss = WireReader.ReadNumber(ref reader, key); break;
                case "samples": samples = WireReader.ReadInt32(ref reader, key); break;
                default: map.SkipValue(ref reader, key); break; // a newer worker may add fields
            }
        }
        return new FitReply(map.Required(loss, "loss"), map.Required(samples, "samples"));
    }

    private static WeightsPayload ReadWeights(ref MessagePackReader reader) => new(WireReader.ReadBin(ref reader, ""));

    private static EmptyMessage ReadEmpty(ref MessagePackReader reader)
    {
        if (WireReader.TryReadNil(ref reader, "")) return EmptyMessage.Instance;
        if (reader.NextMessagePackType == MessagePackType.Map && WireReader.ReadMapHeader(ref reader, "") == 0) return EmptyMessage.Instance;
        throw WireReader.Error("", "expected nil or an empty map");
    }

    private static void WriteDescription(ref MessagePackWriter writer, ModelDescription value)
        => WriteNameAndTags(ref writer, value.Name, value.InputTag, value.OutputTag, value.Device, value.Contract);

    private static ModelDescription ReadDescription(ref MessagePackReader reader)
    {
        var (name, x, y, device, contract) = ReadNameAndTags(ref reader);
        return new ModelDescription(name, x, y, device) { Contract = contract };
    }

    /// <summary>
    /// Writes <c>{"name", "x", "y"}</c> and, when given, <c>"device"</c> and <c>"contract"</c> (a model's or a job's
    /// description); an empty contract is left out, so a worker whose model states none answers as before.
    /// </summary>
    internal static void WriteNameAndTags(ref MessagePackWriter writer, string name, string x, string y, string? device = null, DataContract? contract = null)
    {
        bool hasContract = contract is { IsEmpty: false };
        writer.WriteMapHeader(3 + (device is null ? 0 : 1) + (hasContract ? 1 : 0));
        writer.Write("name");
        writer.Write(name);
        writer.Write("x");
        writer.Write(x);
        writer.Write("y");
        writer.Write(y);
        if (device is not null)
        {
            writer.Write("device");
            writer.Write(device);
        }
        if (!hasContract) return;
        writer.Write("contract");
        contract!.WriteWire(ref writer);
    }

    /// <summary>Reads <c>{"name", "x", "y"}</c>, an optional <c>"device"</c> and <c>"contract"</c>, skipping keys a newer peer may add.</summary>
    internal static (string Name, string X, string Y, string? Device, DataContract? Contract) ReadNameAndTags(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, "", tag: null);
        string? name = null, x = null, y = null, device = null;
        DataContract? contract = null;
        while (map.NextKey(ref reader, out var key))
        {
            switch (key)
            {
                case "name": name = WireReader.ReadString(ref reader, key); break;
                case "x": x = WireReader.ReadString(ref reader, key); break;
                case "y": y = WireReader.ReadString(ref reader, key); break;
                case "device": device = WireReader.ReadString(ref reader, key); break;
                case "contract": contract = DataContract.ReadWire(ref reader, key); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        return (map.Required(name, "name"), map.Required(x, "x"), map.Required(y, "y"), device, contract);
    }
}
