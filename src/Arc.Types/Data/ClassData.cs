using MessagePack;

namespace Arc.Types;

/// <summary>
/// A batch of single-label classes: one int64 class index per sample, the class names, and optionally
/// N×K float32 scores (probabilities or logits) when a model produced them.
/// </summary>
public sealed class ClassData : IArcData<ClassData>
{
    /// <summary>Wraps int64 indices of shape N, names of the K classes and optional N×K scores.</summary>
    public ClassData(ArcArray indices, IReadOnlyList<string> classNames, ArcArray? scores = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(classNames);
        if (indices.Rank != 1 || indices.DType != ArcDType.Int64)
            throw new ArgumentException($"class indices are int64 of shape [N]; got {indices}", nameof(indices));
        if (scores is not null && (scores.Rank != 2 || scores.Rows != indices.Rows || scores.Shape[1] != classNames.Count || scores.DType != ArcDType.Float32))
            throw new ArgumentException($"scores must be float32 [N={indices.Rows}, K={classNames.Count}]; got {scores}", nameof(scores));
        foreach (var name in classNames)
            if (name is null) throw new ArgumentException("class names cannot be null", nameof(classNames));
        foreach (var i in indices.AsSpan<long>())
            if (i < 0 || i >= classNames.Count)
                throw new ArgumentException($"class index {i} is outside 0..{classNames.Count - 1}", nameof(indices));
        Indices = indices;
        ClassNames = classNames.ToArray();
        Scores = scores;
    }

    /// <summary>Classes from indices and names.</summary>
    public ClassData(ReadOnlySpan<long> indices, IReadOnlyList<string> classNames)
        : this(ArcArray.From(indices, indices.Length), classNames) { }

    /// <summary>Class indices, int64 of shape N.</summary>
    public ArcArray Indices { get; }

    /// <summary>Names of the K classes; index i names class i.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Optional N×K float32 scores.</summary>
    public ArcArray? Scores { get; }

    /// <inheritdoc />
    public int Count => Indices.Rows;

    /// <inheritdoc />
    public static string WireTag => "class";

    /// <summary>The class index of each sample.</summary>
    public ReadOnlySpan<long> IndexSpan => Indices.AsSpan<long>();

    /// <inheritdoc />
    public ClassData Slice(int start, int count) => new(Indices.SliceRows(start, count), ClassNames, Scores?.SliceRows(start, count));

    /// <inheritdoc />
    public ClassData Take(ReadOnlySpan<int> indices) => new(Indices.TakeRows(indices), ClassNames, Scores?.TakeRows(indices));

    /// <inheritdoc />
    public static ClassData Concat(IReadOnlyList<ClassData> batches)
    {
        if (batches.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(batches));
        var names = batches[0].ClassNames;
        foreach (var b in batches)
            if (!b.ClassNames.SequenceEqual(names))
                throw new ArgumentException("cannot concatenate class batches with different class names", nameof(batches));
        bool allScores = batches.All(b => b.Scores is not null);
        return new ClassData(
            ArcArray.ConcatRows(batches.Select(b => b.Indices).ToList()),
            names,
            allScores ? ArcArray.ConcatRows(batches.Select(b => b.Scores!).ToList()) : null);
    }

    /// <summary>
    /// Writes <c>{"arc":"class","v":1,"dtype":"int64","shape":[N],"data","names":[...],"scores":{dtype,shape,data}|nil}</c>
    /// (see docs/wire-format.md).
    /// </summary>
    public static void WriteWire(ref MessagePackWriter writer, ClassData value)
    {
        WireWriter.WriteHeader(ref writer, WireTag, WireArray.FieldCount + 2);
        WireArray.WriteFields(ref writer, value.Indices);
        writer.Write("names");
        WireWriter.WriteStrings(ref writer, value.ClassNames);
        writer.Write("scores");
        if (value.Scores is null) writer.WriteNil();
        else WireArray.Write(ref writer, value.Scores);
    }

    /// <inheritdoc />
    public static ClassData ReadWire(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, WireTag, WireTag);
        var indices = new WireArrayFields();
        string[]? names = null;
        ArcArray? scores = null;
        while (map.NextKey(ref reader, out var key))
        {
            if (indices.TryRead(key, ref reader, map)) continue;
            switch (key)
            {
                case "names": names = WireReader.ReadStrings(ref reader, map.Path(key)); break;
                case "scores": scores = WireReader.TryReadNil(ref reader, map.Path(key)) ? null : WireArray.Read(ref reader, map.Path(key)); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        var array = indices.Build(map);
        var classNames = map.Required(names, "names");
        return map.Construct(() => new ClassData(array, classNames, scores));
    }

    /// <summary>True when <paramref name="other"/> holds the same indices, names and scores.</summary>
    public bool ContentEquals(ClassData? other)
        => other is not null && Indices.ContentEquals(other.Indices) && ClassNames.SequenceEqual(other.ClassNames)
           && (Scores is null ? other.Scores is null : Scores.ContentEquals(other.Scores));

    /// <inheritdoc />
    public override string ToString() => $"ClassData(N={Count}, K={ClassNames.Count}{(Scores is null ? "" : ", scores")})";
}
