namespace Arc.Types;

/// <summary>Element type of an <see cref="ArcArray"/>. The wire form names each with its lower-case string (see docs/wire-format.md).</summary>
public enum ArcDType : byte
{
    /// <summary>IEEE 754 single precision, wire name <c>float32</c>.</summary>
    Float32,
    /// <summary>IEEE 754 double precision, wire name <c>float64</c>.</summary>
    Float64,
    /// <summary>Signed 32-bit integer, wire name <c>int32</c>.</summary>
    Int32,
    /// <summary>Signed 64-bit integer, wire name <c>int64</c>.</summary>
    Int64,
    /// <summary>Unsigned byte, wire name <c>uint8</c>.</summary>
    UInt8,
    /// <summary>One byte per element, 0 or 1, wire name <c>bool</c>.</summary>
    Bool,
}

/// <summary>Facts about each <see cref="ArcDType"/>: size, wire name, CLR element type.</summary>
public static class ArcDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int SizeOf(ArcDType dtype) => dtype switch
    {
        ArcDType.Float32 or ArcDType.Int32 => 4,
        ArcDType.Float64 or ArcDType.Int64 => 8,
        ArcDType.UInt8 or ArcDType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The name used in the wire and JSON forms, e.g. <c>float32</c>.</summary>
    public static string WireName(ArcDType dtype) => dtype switch
    {
        ArcDType.Float32 => "float32",
        ArcDType.Float64 => "float64",
        ArcDType.Int32 => "int32",
        ArcDType.Int64 => "int64",
        ArcDType.UInt8 => "uint8",
        ArcDType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>Parses a wire name; returns false for anything else.</summary>
    public static bool TryParse(string? name, out ArcDType dtype)
    {
        switch (name)
        {
            case "float32": dtype = ArcDType.Float32; return true;
            case "float64": dtype = ArcDType.Float64; return true;
            case "int32": dtype = ArcDType.Int32; return true;
            case "int64": dtype = ArcDType.Int64; return true;
            case "uint8": dtype = ArcDType.UInt8; return true;
            case "bool": dtype = ArcDType.Bool; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>The dtype whose CLR element type is <typeparamref name="T"/>.</summary>
    public static ArcDType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return ArcDType.Float32;
        if (typeof(T) == typeof(double)) return ArcDType.Float64;
        if (typeof(T) == typeof(int)) return ArcDType.Int32;
        if (typeof(T) == typeof(long)) return ArcDType.Int64;
        if (typeof(T) == typeof(byte)) return ArcDType.UInt8;
        if (typeof(T) == typeof(bool)) return ArcDType.Bool;
        throw new NotSupportedException($"{typeof(T).Name} is not an Arc element type; use float, double, int, long, byte or bool.");
    }
}
