using MessagePack;

namespace Arc.Types;

/// <summary>A batch of images, N×C×H×W, float32 (normalised) or uint8 (raw pixels).</summary>
public sealed class ImageData : IArcData<ImageData>
{
    /// <summary>Wraps pixels of shape N×C×H×W.</summary>
    public ImageData(ArcArray pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Rank != 4)
            throw new ArgumentException($"images are N×C×H×W; got shape [{string.Join(", ", pixels.ShapeArray())}]", nameof(pixels));
        Pixels = pixels;
    }

    /// <summary>The pixels, N×C×H×W.</summary>
    public ArcArray Pixels { get; }

    /// <inheritdoc />
    public int Count => Pixels.Rows;

    /// <summary>Channels (C).</summary>
    public int Channels => Pixels.Shape[1];

    /// <summary>Height (H).</summary>
    public int Height => Pixels.Shape[2];

    /// <summary>Width (W).</summary>
    public int Width => Pixels.Shape[3];

    /// <inheritdoc />
    public static string WireTag => "image";

    /// <inheritdoc />
    public ImageData Slice(int start, int count) => new(Pixels.SliceRows(start, count));

    /// <inheritdoc />
    public ImageData Take(ReadOnlySpan<int> indices) => new(Pixels.TakeRows(indices));

    /// <inheritdoc />
    public static ImageData Concat(IReadOnlyList<ImageData> batches) => new(ArcArray.ConcatRows(batches.Select(b => b.Pixels).ToList()));

    /// <summary>Writes <c>{"arc":"image","v":1,"dtype","shape":[N,C,H,W],"data"}</c> (see docs/wire-format.md).</summary>
    public static void WriteWire(ref MessagePackWriter writer, ImageData value)
    {
        WireWriter.WriteHeader(ref writer, WireTag, WireArray.FieldCount);
        WireArray.WriteFields(ref writer, value.Pixels);
    }

    /// <inheritdoc />
    public static ImageData ReadWire(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, WireTag, WireTag);
        var pixels = new WireArrayFields();
        while (map.NextKey(ref reader, out var key))
            if (!pixels.TryRead(key, ref reader, map)) map.SkipValue(ref reader, key);
        var array = pixels.Build(map);
        return map.Construct(() => new ImageData(array));
    }

    /// <summary>True when <paramref name="other"/> holds the same pixels (dtype, shape and bytes).</summary>
    public bool ContentEquals(ImageData? other) => other is not null && Pixels.ContentEquals(other.Pixels);

    /// <inheritdoc />
    public override string ToString() => $"ImageData(N={Count}, C={Channels}, H={Height}, W={Width}, {ArcDTypes.WireName(Pixels.DType)})";
}
