using Arc.Types;

namespace Arc.Serving;

/// <summary>
/// One tensor of the Open Inference Protocol: a name, a datatype (<c>FP32</c>, <c>INT64</c>, <c>BYTES</c> …), a shape
/// and row-major data, held as an <see cref="ArcArray"/> for numbers and bools or as strings for <c>BYTES</c>.
/// </summary>
internal sealed class OipTensor
{
    private OipTensor(string name, long[] shape, ArcArray? numbers, string[]? strings)
    {
        Name = name;
        Shape = shape;
        Numbers = numbers;
        Strings = strings;
    }

    public string Name { get; }

    public long[] Shape { get; }

    public ArcArray? Numbers { get; }

    public string[]? Strings { get; }

    public string Datatype => Strings is not null ? OipDatatypes.Bytes : OipDatatypes.Of(Numbers!.DType);

    public static OipTensor FromArray(string name, ArcArray array) => new(name, array.ShapeArray().Select(d => (long)d).ToArray(), array, null);

    public static OipTensor FromStrings(string name, IReadOnlyList<string> strings, long[]? shape = null)
        => new(name, shape ?? [strings.Count], null, strings.ToArray());

    public static long ElementsOf(long[] shape) => shape.Aggregate(1L, (n, d) => checked(n * d));
}

/// <summary>The protocol's datatype names and Arc's element types.</summary>
internal static class OipDatatypes
{
    public const string Bytes = "BYTES";

    public static string Of(ArcDType dtype) => dtype switch
    {
        ArcDType.Float32 => "FP32",
        ArcDType.Float64 => "FP64",
        ArcDType.Int32 => "INT32",
        ArcDType.Int64 => "INT64",
        ArcDType.UInt8 => "UINT8",
        ArcDType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The element type of a numeric or bool datatype; null for BYTES or one Arc does not hold (FP16, UINT16 …).</summary>
    public static ArcDType? ElementOf(string datatype) => datatype switch
    {
        "FP32" => ArcDType.Float32,
        "FP64" => ArcDType.Float64,
        "INT32" => ArcDType.Int32,
        "INT64" => ArcDType.Int64,
        "UINT8" => ArcDType.UInt8,
        "BOOL" => ArcDType.Bool,
        _ => null,
    };

    public const string Supported = "BOOL, UINT8, INT32, INT64, FP32, FP64, BYTES";
}
