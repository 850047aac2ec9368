using MessagePack;

namespace Arc.Types;

// TEMPORARY (sdk branch): a minimal LabelData so the SDK's multi-label evaluator compiles and is tested.
// The Types helper owns the real type; at merge take that version. The SDK relies only on Labels, LabelNames,
// Count, Slice, Take and Concat.

/// <summary>A batch of multi-label targets: N×K multi-hot values (float32, uint8 or bool) and the K label names.</summary>
public sealed class LabelData : IArcData<LabelData>
{
    /// <summary>Wraps N×K labels and the names of the K labels.</summary>
    public LabelData(ArcArray labels, IReadOnlyList<string> labelNames)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(labelNames);
        if (labels.Rank != 2 || labels.Shape[1] != labelNames.Count)
            throw new ArgumentException($"labels must be [N, K={labelNames.Count}]; got {labels}", nameof(labels));
        if (labels.DType is not (ArcDType.Float32 or ArcDType.UInt8 or ArcDType.Bool))
            throw new ArgumentException($"labels are float32, uint8 or bool; got {ArcDTypes.WireName(labels.DType)}", nameof(labels));
        Labels = labels;
        LabelNames = labelNames.ToArray();
    }

    /// <summary>N×K multi-hot labels (or scores/probabilities when a model produced them).</summary>
    public ArcArray Labels { get; }

    /// <summary>Names of the K labels.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <inheritdoc />
    public int Count => Labels.Rows;

    /// <inheritdoc />
    public static string WireTag => "label";

    /// <inheritdoc />
    public LabelData Slice(int start, int count) => new(Labels.SliceRows(start, count), LabelNames);

    /// <inheritdoc />
    public LabelData Take(ReadOnlySpan<int> indices) => new(Labels.TakeRows(indices), LabelNames);

    /// <inheritdoc />
    public static LabelData Concat(IReadOnlyList<LabelData> batches)
    {
        if (batches.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(batches));
        return new LabelData(ArcArray.ConcatRows(batches.Select(b => b.Labels).ToList()), batches[0].LabelNames);
    }

    /// <inheritdoc />
    public static void WriteWire(ref MessagePackWriter writer, LabelData value) => throw new NotImplementedException("wire form: see docs/wire-format.md");

    /// <inheritdoc />
    public static LabelData ReadWire(ref MessagePackReader reader) => throw new NotImplementedException("wire form: see docs/wire-format.md");
}
