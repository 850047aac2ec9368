using MessagePack;

namespace Arc.Types;

/// <summary>What an <see cref="ImageData"/> must be: channels, height, width and dtype, each fixed or free (null).</summary>
public sealed class ImageContract : ValueContract
{
    /// <summary>A contract fixing what is not null.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fixed size is below 1.</exception>
    public ImageContract(int? channels = null, int? height = null, int? width = null, ArcDType? dtype = null)
    {
        Channels = Positive(channels, nameof(channels));
        Height = Positive(height, nameof(height));
        Width = Positive(width, nameof(width));
        if (dtype is ArcDType d && d is not (ArcDType.Float32 or ArcDType.UInt8))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "an image is float32 or uint8");
        DType = dtype;
    }

    /// <summary>The channels C, or null for any.</summary>
    public int? Channels { get; }

    /// <summary>The height H, or null for any.</summary>
    public int? Height { get; }

    /// <summary>The width W, or null for any.</summary>
    public int? Width { get; }

    /// <summary>The pixels' dtype, or null for any.</summary>
    public ArcDType? DType { get; }

    /// <inheritdoc />
    public override string WireTag => ImageData.WireTag;

    /// <inheritdoc />
    public override string? Mismatch(IArcData value)
    {
        if (value is not ImageData image) return Received(value);
        if ((Channels is int c && image.Channels != c) || (Height is int h && image.Height != h)
            || (Width is int w && image.Width != w) || (DType is ArcDType d && image.Pixels.DType != d))
            return Describe(image.Channels, image.Height, image.Width, image.Pixels.DType);
        return null;
    }

    /// <inheritdoc />
    public override string? Conflict(ValueContract other)
    {
        if (other is not ImageContract job) return $"it takes {this}, the job gives {other}";
        bool differs = Differs(Channels, job.Channels) || Differs(Height, job.Height) || Differs(Width, job.Width)
            || (DType is ArcDType a && job.DType is ArcDType b && a != b);
        return differs ? $"it takes {this}, the job gives {job}" : null;
    }

    /// <inheritdoc />
    public override string ToString() => Describe(Channels, Height, Width, DType);

    /// <inheritdoc />
    public override bool Equals(ValueContract? other)
        => other is ImageContract o && o.Channels == Channels && o.Height == Height && o.Width == Width && o.DType == DType;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Channels, Height, Width, DType);

    internal override void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(5);
        writer.Write("kind");
        writer.Write(WireTag);
        WriteSize(ref writer, "channels", Channels);
        WriteSize(ref writer, "height", Height);
        WriteSize(ref writer, "width", Width);
        writer.Write("dtype");
        if (DType is ArcDType d) writer.Write(ArcDTypes.WireName(d)); else writer.WriteNil();
    }

    internal override void Write(System.Text.Json.Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", WireTag);
        WriteSize(writer, "channels", Channels);
        WriteSize(writer, "height", Height);
        WriteSize(writer, "width", Width);
        if (DType is ArcDType d) writer.WriteString("dtype", ArcDTypes.WireName(d)); else writer.WriteNull("dtype");
        writer.WriteEndObject();
    }

    private static void WriteSize(ref MessagePackWriter writer, string key, int? size)
    {
        writer.Write(key);
        if (size is int s) writer.Write(s); else writer.WriteNil();
    }

    private static void WriteSize(System.Text.Json.Utf8JsonWriter writer, string key, int? size)
    {
        if (size is int s) writer.WriteNumber(key, s); else writer.WriteNull(key);
    }

    private static bool Differs(int? model, int? job) => model is int a && job is int b && a != b;

    private static string Describe(int? c, int? h, int? w, ArcDType? d)
        => $"image [N, {Size(c)}, {Size(h)}, {Size(w)}] {(d is ArcDType t ? ArcDTypes.WireName(t) : "any dtype")}";

    private static string Size(int? size) => size is int s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "*";

    private static int? Positive(int? value, string name)
        => value is int v && v < 1 ? throw new ArgumentOutOfRangeException(name, v, "a fixed size must be at least 1 (null leaves it free)") : value;
}
