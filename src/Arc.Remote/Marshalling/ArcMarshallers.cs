using System.Buffers;
using Grpc.Core;
using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The gRPC marshallers of Arc's model service: Arc data in its wire form (docs/wire-format.md) and the small
/// request/reply maps around it. Written by hand over <c>MessagePackReader</c>, no reflection and no
/// typeless resolver: the bytes never choose which .NET type is created.
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
            static (ref r) => { var (x, y) = ReadPair<X, Y>(ref r, "fit request"); return new FitRequest<X, Y>(x, y); });

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

    /// <summary>Reads <c>{"x": X, "y": Y}</c> with the same number of rows on both sides; <paramref name="where"/> names it in errors.</summary>
    internal static (X Inputs, Y Targets) ReadPair<X, Y>(ref MessagePackReader reader, string where)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        int count = WireFields.ReadMapHeader(ref reader, where);
        X? x = null;
        Y? y = null;
        for (int i = 0; i < count; i++)
        {
            switch (WireFields.ReadKey(ref reader, where))
            {
                case "x" when x is null: x = X.ReadWire(ref reader); break;
                case "y" when y is null: y = Y.ReadWire(ref reader); break;
                case var key: throw new ArcFormatException($"{where}: unexpected or repeated key '{key}'");
            }
        }
        x = WireFields.Required(x, $"{where}.x");
        y = WireFields.Required(y, $"{where}.y");
        if (x.Count != y.Count)
            throw new ArcFormatException($"{where}: x has {x.Count} rows but y has {y.Count}");
        return (x, y);
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
        int count = WireFields.ReadMapHeader(ref reader, "fit reply");
        double? loss = null;
        int? samples = null;
        for (int i = 0; i < count; i++)
        {
            switch (WireFields.ReadKey(ref reader, "fit reply"))
            {
                case "loss": loss = reader.ReadDouble(); break;
                case "samples": samples = reader.ReadInt32(); break;
                default: reader.Skip(); break; // a newer worker may add fields
            }
        }
        return new FitReply(WireFields.Required(loss, "fit reply.loss"), WireFields.Required(samples, "fit reply.samples"));
    }

    private static WeightsPayload ReadWeights(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Binary)
            throw new ArcFormatException($"weights: expected a bin, found {reader.NextMessagePackType}");
        // ReadBytes checks the declared length against the bytes present before anything is allocated.
        var bytes = reader.ReadBytes() ?? throw new ArcFormatException("weights: the bin is nil");
        return new WeightsPayload(bytes.ToArray());
    }

    private static EmptyMessage ReadEmpty(ref MessagePackReader reader)
    {
        if (reader.TryReadNil()) return EmptyMessage.Instance;
        if (reader.NextMessagePackType == MessagePackType.Map && reader.ReadMapHeader() == 0) return EmptyMessage.Instance;
        throw new ArcFormatException("expected nil or an empty map");
    }

    private static void WriteDescription(ref MessagePackWriter writer, ModelDescription value)
        => WriteNameAndTags(ref writer, value.Name, value.InputTag, value.OutputTag, value.Device);

    private static ModelDescription ReadDescription(ref MessagePackReader reader)
    {
        var (name, x, y, device) = ReadNameAndTags(ref reader, "model description");
        return new ModelDescription(name, x, y, device);
    }

    /// <summary>Writes <c>{"name", "x", "y"}</c> and, when given, <c>"device"</c> (a model's or a job's description).</summary>
    internal static void WriteNameAndTags(ref MessagePackWriter writer, string name, string x, string y, string? device = null)
    {
        writer.WriteMapHeader(device is null ? 3 : 4);
        writer.Write("name");
        writer.Write(name);
        writer.Write("x");
        writer.Write(x);
        writer.Write("y");
        writer.Write(y);
        if (device is null) return;
        writer.Write("device");
        writer.Write(device);
    }

    /// <summary>Reads <c>{"name", "x", "y"}</c> and an optional <c>"device"</c>, skipping keys a newer peer may add.</summary>
    internal static (string Name, string X, string Y, string? Device) ReadNameAndTags(ref MessagePackReader reader, string where)
    {
        int count = WireFields.ReadMapHeader(ref reader, where);
        string? name = null, x = null, y = null, device = null;
        for (int i = 0; i < count; i++)
        {
            switch (WireFields.ReadKey(ref reader, where))
            {
                case "name": name = WireFields.ReadString(ref reader, $"{where}.name"); break;
                case "x": x = WireFields.ReadString(ref reader, $"{where}.x"); break;
                case "y": y = WireFields.ReadString(ref reader, $"{where}.y"); break;
                case "device": device = WireFields.ReadString(ref reader, $"{where}.device"); break;
                default: reader.Skip(); break;
            }
        }
        return (WireFields.Required(name, $"{where}.name"), WireFields.Required(x, $"{where}.x"), WireFields.Required(y, $"{where}.y"), device);
    }
}
