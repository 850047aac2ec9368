using Grpc.Core;
using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The marshallers of <c>arc.Job</c>, over <see cref="WireReader"/>. Requests are validated while decoding (batch size
/// and count in range, a known split), so a bad request fails with <see cref="StatusCode.InvalidArgument"/> before the
/// handler runs.
/// </summary>
public static class ArcJobMarshallers
{
    /// <summary><c>{"batch_size": int ≥ 1, "split": str, "shuffle_seed": int|nil}</c>.</summary>
    public static Marshaller<JobStreamRequest> StreamRequest { get; } = WireMarshaller.Create<JobStreamRequest>("job stream request",
        static (ref w, v) => WriteRequest(ref w, "batch_size", v.BatchSize, v.Split, "shuffle_seed", v.ShuffleSeed),
        static (ref r) =>
        {
            var (size, split, seed) = ReadRequest(ref r, "batch_size", minimum: 1, "shuffle_seed");
            return new JobStreamRequest(size, split, seed);
        });

    /// <summary><c>{"count": int ≥ 0, "split": str, "seed": int|nil}</c>.</summary>
    public static Marshaller<JobSampleRequest> SampleRequest { get; } = WireMarshaller.Create<JobSampleRequest>("job sample request",
        static (ref w, v) => WriteRequest(ref w, "count", v.Count, v.Split, "seed", v.Seed),
        static (ref r) =>
        {
            var (count, split, seed) = ReadRequest(ref r, "count", minimum: 0, "seed");
            return new JobSampleRequest(count, split, seed);
        });

    /// <summary><c>{"x": X, "y": Y}</c> with as many rows on both sides.</summary>
    public static Marshaller<JobBatch<X, Y>> Batch<X, Y>() where X : class, IArcData<X> where Y : class, IArcData<Y>
        => WireMarshaller.Create<JobBatch<X, Y>>("job batch",
            static (ref w, v) => ArcMarshallers.WritePair(ref w, v.Inputs, v.Targets),
            static (ref r) => { var (x, y) = ArcMarshallers.ReadPair<X, Y>(ref r); return new JobBatch<X, Y>(x, y); });

    /// <summary><c>{"name", "x", "y"}</c>.</summary>
    public static Marshaller<JobDescription> Description { get; } = WireMarshaller.Create<JobDescription>("job description",
        static (ref w, v) => ArcMarshallers.WriteNameAndTags(ref w, v.Name, v.InputTag, v.TargetTag, contract: v.Contract),
        static (ref r) => { var (name, x, y, _, contract) = ArcMarshallers.ReadNameAndTags(ref r); return new JobDescription(name, x, y) { Contract = contract }; });

    private static void WriteRequest(ref MessagePackWriter writer, string sizeKey, int size, string split, string seedKey, int? seed)
    {
        writer.WriteMapHeader(3);
        writer.Write(sizeKey);
        writer.Write(size);
        writer.Write("split");
        writer.Write(split);
        writer.Write(seedKey);
        if (seed is int s) writer.Write(s);
        else writer.WriteNil();
    }

    private static (int Size, string Split, int? Seed) ReadRequest(ref MessagePackReader reader, string sizeKey, int minimum, string seedKey)
    {
        var map = WireMap.Open(ref reader, "", tag: null);
        int? size = null;
        string? split = null;
        int? seed = null;
        while (map.NextKey(ref reader, out var key))
        {
            if (key == sizeKey) size = WireReader.ReadInt32(ref reader, key, min: minimum);
            else if (key == "split") split = WireReader.ReadString(ref reader, key);
            else if (key == seedKey) seed = WireReader.TryReadNil(ref reader, key) ? null : WireReader.ReadInt32(ref reader, key);
            else map.SkipValue(ref reader, key); // a newer client may add options
        }
        int checkedSize = map.Required(size, sizeKey);
        split = map.Required(split, "split");
        if (!JobSplits.IsKnown(split))
            throw WireReader.Error("split", $"unknown split '{split}'; expected '{JobSplits.Train}', '{JobSplits.Validation}' or '{JobSplits.Test}'");
        return (checkedSize, split, seed);
    }
}
