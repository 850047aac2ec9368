using Arc.Types;

namespace Arc.Datasets;

/// <summary>An array's elements as doubles, whatever their element type.</summary>
internal static class PixelValues
{
    public static double[] ToDoubles(ArcArray array) => array.DType switch
    {
        ArcDType.Float32 => Convert(array.AsSpan<float>(), v => v),
        ArcDType.Float64 => array.AsSpan<double>().ToArray(),
        ArcDType.Int32 => Convert(array.AsSpan<int>(), v => v),
        ArcDType.Int64 => Convert(array.AsSpan<long>(), v => v),
        ArcDType.UInt8 => Convert(array.AsSpan<byte>(), v => v),
        ArcDType.Bool => Convert(array.AsSpan<byte>(), v => v),
        _ => throw new NotSupportedException($"pixels of {array.DType} cannot be normalised"),
    };

    private static double[] Convert<T>(ReadOnlySpan<T> span, Func<T, double> map)
    {
        var result = new double[span.Length];
        for (int i = 0; i < result.Length; i++) result[i] = map(span[i]);
        return result;
    }
}
