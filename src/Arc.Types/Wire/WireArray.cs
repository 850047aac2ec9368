using MessagePack;

namespace Arc.Types;

/// <summary>
/// The wire form of one tensor part: <c>"dtype"</c> (a name such as <c>float32</c>), <c>"shape"</c> (an array of
/// int dimensions) and <c>"data"</c> (a bin holding the row-major little-endian elements). The bin is written with
/// one header and one span copy and read with one bulk copy into the array's final buffer.
/// </summary>
public static class WireArray
{
    /// <summary>Number of map entries <see cref="WriteFields"/> writes.</summary>
    public const int FieldCount = 3;

    /// <summary>Writes <paramref name="array"/> as a map of its own: <c>{"dtype", "shape", "data"}</c>.</summary>
    public static void Write(ref MessagePackWriter writer, ArcArray array)
    {
        writer.WriteMapHeader(FieldCount);
        WriteFields(ref writer, array);
    }

    /// <summary>Writes the three key/value pairs of <paramref name="array"/> into a map the caller has opened.</summary>
    public static void WriteFields(ref MessagePackWriter writer, ArcArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        EnsureLittleEndianHost();
        writer.Write("dtype");
        writer.Write(ArcDTypes.WireName(array.DType));
        writer.Write("shape");
        writer.WriteArrayHeader(array.Rank);
        foreach (int d in array.Shape) writer.Write(d);
        writer.Write("data");
        var bytes = array.Bytes;
        writer.WriteBinHeader(bytes.Length);
        if (bytes.Length > 0)
        {
            bytes.CopyTo(writer.GetSpan(bytes.Length));
            writer.Advance(bytes.Length);
        }
    }

    /// <summary>Reads a map written by <see cref="Write"/>; keys in any order, unknown keys skipped.</summary>
    public static ArcArray Read(ref MessagePackReader reader, string where = "array")
    {
        var map = WireMap.Open(ref reader, where, tag: null);
        var fields = new WireArrayFields();
        while (map.NextKey(ref reader, out var key))
            if (!fields.TryRead(key, ref reader, map)) map.SkipValue(ref reader, key);
        return fields.Build(map);
    }

    /// <summary>
    /// The wire form stores elements little-endian and <see cref="ArcArray"/> keeps them that way in memory, which
    /// only means the same numbers on a little-endian host. Every platform .NET ships for today is one; a
    /// big-endian host gets this clear refusal rather than silently byte-swapped values.
    /// </summary>
    internal static void EnsureLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Arc data types require a little-endian host (the wire form and ArcArray store little-endian elements)");
    }
}

/// <summary>Collects <c>dtype</c>, <c>shape</c> and <c>data</c> from a map whose keys arrive in any order.</summary>
internal struct WireArrayFields
{
    private string? _dtype;
    private int[]? _shape;
    private byte[]? _data;

    /// <summary>The dtype name as written (may be one no <see cref="ArcDType"/> has, e.g. <c>string</c> in a table).</summary>
    public readonly string? DTypeName => _dtype;

    /// <summary>True when the map had <c>shape</c> or <c>data</c>.</summary>
    public readonly bool HasShapeOrData => _shape is not null || _data is not null;

    /// <summary>Reads the value when <paramref name="key"/> is one of the three; false otherwise.</summary>
    public bool TryRead(string key, ref MessagePackReader reader, in WireMap map)
    {
        switch (key)
        {
            case "dtype": _dtype = WireReader.ReadString(ref reader, map.Path(key)); return true;
            case "shape": _shape = WireReader.ReadShape(ref reader, map.Path(key)); return true;
            case "data": _data = WireReader.ReadBin(ref reader, map.Path(key)); return true;
            default: return false;
        }
    }

    /// <summary>The array, once all three keys were seen and agree with each other.</summary>
    public readonly ArcArray Build(in WireMap map)
    {
        WireArray.EnsureLittleEndianHost();
        string name = map.Required(_dtype, "dtype");
        if (!ArcDTypes.TryParse(name, out var dtype))
            throw WireReader.Error(map.Path("dtype"), $"unknown dtype '{name}'; expected float32, float64, int32, int64, uint8 or bool");
        var shape = map.Required(_shape, "shape");
        var data = map.Required(_data, "data");
        try { return ArcArray.FromBytes(dtype, shape, data); }
        catch (ArcFormatException e) { throw WireReader.Error(map.Path("data"), e.Message, e); }
    }
}
