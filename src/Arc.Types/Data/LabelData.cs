using MessagePack;

namespace Arc.Types;

/// <summary>
/// A batch of multi-label targets: an N×K multi-hot matrix (float32 for losses such as binary cross-entropy, or
/// uint8/bool for compact storage) and the names of the K labels. Sample i has label j when element [i, j] is non-zero.
/// </summary>
public sealed class LabelData : IArcData<LabelData>
{
    /// <summary>Wraps an N×K multi-hot matrix (float32, uint8 or bool) and the K label names.</summary>
    public LabelData(ArcArray labels, IReadOnlyList<string> labelNames)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(labelNames);
        if (labels.Rank != 2 || labels.DType is not (ArcDType.Float32 or ArcDType.UInt8 or ArcDType.Bool))
            throw new ArgumentException($"labels are an N×K float32, uint8 or bool matrix; got {labels}", nameof(labels));
        if (labels.Shape[1] != labelNames.Count)
            throw new ArgumentException($"labels have K={labels.Shape[1]} columns but {labelNames.Count} names", nameof(labelNames));
        foreach (var name in labelNames)
            if (name is null) throw new ArgumentException("label names cannot be null", nameof(labelNames));
        Labels = labels;
        LabelNames = labelNames.ToArray();
    }

    /// <summary>The multi-hot matrix, N×K.</summary>
    public ArcArray Labels { get; }

    /// <summary>Names of the K labels; column j is label j.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <inheritdoc />
    public int Count => Labels.Rows;

    /// <inheritdoc />
    public static string WireTag => "label";

    /// <summary>Float32 multi-hot labels from the set of label names each sample has.</summary>
    public static LabelData FromNameSets(IReadOnlyList<IEnumerable<string>> samples, IReadOnlyList<string> labelNames)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(labelNames);
        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < labelNames.Count; j++) column.TryAdd(labelNames[j], j);
        var hot = new float[checked(samples.Count * labelNames.Count)];
        for (int i = 0; i < samples.Count; i++)
            foreach (var name in samples[i])
            {
                if (!column.TryGetValue(name, out int j))
                    throw new ArgumentException($"sample {i} has the label '{name}', which is not one of the {labelNames.Count} label names", nameof(samples));
                hot[i * labelNames.Count + j] = 1f;
            }
        return new LabelData(ArcArray.From(hot, samples.Count, labelNames.Count), labelNames);
    }

    /// <summary>True when sample <paramref name="sample"/> has label <paramref name="label"/>.</summary>
    public bool Has(int sample, int label)
    {
        if ((uint)sample >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(sample), $"sample {sample} is outside 0..{Count}");
        if ((uint)label >= (uint)LabelNames.Count) throw new ArgumentOutOfRangeException(nameof(label), $"label {label} is outside 0..{LabelNames.Count}");
        int at = sample * LabelNames.Count + label;
        return Labels.DType == ArcDType.Float32 ? Labels.AsSpan<float>()[at] != 0f : Labels.Bytes[at] != 0;
    }

    /// <summary>The names of the labels sample <paramref name="sample"/> has, in label order.</summary>
    public IReadOnlyList<string> NamesOf(int sample)
    {
        var names = new List<string>();
        for (int j = 0; j < LabelNames.Count; j++)
            if (Has(sample, j)) names.Add(LabelNames[j]);
        return names;
    }

    /// <inheritdoc />
    public LabelData Slice(int start, int count) => new(Labels.SliceRows(start, count), LabelNames);

    /// <inheritdoc />
    public LabelData Take(ReadOnlySpan<int> indices) => new(Labels.TakeRows(indices), LabelNames);

    /// <summary>Joins batches along N; all parts must have the same label names and dtype.</summary>
    public static LabelData Concat(IReadOnlyList<LabelData> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(batches));
        var names = batches[0].LabelNames;
        foreach (var b in batches)
            if (!b.LabelNames.SequenceEqual(names))
                throw new ArgumentException("cannot concatenate label batches with different label names", nameof(batches));
        return new LabelData(ArcArray.ConcatRows(batches.Select(b => b.Labels).ToList()), names);
    }

    /// <summary>Writes <c>{"arc":"label","v":1,"dtype","shape":[N,K],"data","names":[...]}</c> (see docs/wire-format.md).</summary>
    public static void WriteWire(ref MessagePackWriter writer, LabelData value)
    {
        WireWriter.WriteHeader(ref writer, WireTag, WireArray.FieldCount + 1);
        WireArray.WriteFields(ref writer, value.Labels);
        writer.Write("names");
        WireWriter.WriteStrings(ref writer, value.LabelNames);
    }

    /// <inheritdoc />
    public static LabelData ReadWire(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, WireTag, WireTag);
        var labels = new WireArrayFields();
        string[]? names = null;
        while (map.NextKey(ref reader, out var key))
        {
            if (labels.TryRead(key, ref reader, map)) continue;
            if (key == "names") names = WireReader.ReadStrings(ref reader, map.Path(key));
            else map.SkipValue(ref reader, key);
        }
        var array = labels.Build(map);
        var labelNames = map.Required(names, "names");
        return map.Construct(() => new LabelData(array, labelNames));
    }

    /// <summary>True when <paramref name="other"/> holds the same matrix and label names.</summary>
    public bool ContentEquals(LabelData? other)
        => other is not null && Labels.ContentEquals(other.Labels) && LabelNames.SequenceEqual(other.LabelNames);

    /// <inheritdoc />
    public override string ToString() => $"LabelData(N={Count}, K={LabelNames.Count}, {ArcDTypes.WireName(Labels.DType)})";
}
