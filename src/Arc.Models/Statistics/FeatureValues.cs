using Arc.Types;

namespace Arc.Models;

/// <summary>
/// The numeric features of a batch of inputs, as blocks of values per feature: the channels of images
/// (N×C×H×W), audio (N×C×T) and video (N×T×C×H×W), the numeric columns of a table. Text and other inputs have none.
/// </summary>
internal static class FeatureValues
{
    /// <summary>The features of <paramref name="batch"/>'s type and layout, by name; empty when it has no numeric view.</summary>
    public static IReadOnlyList<string> Names<X>(X batch) where X : IArcData<X> => batch switch
    {
        ImageData image => Channels(image.Pixels.Shape[1]),
        AudioData audio => Channels(audio.Samples.Shape[1]),
        VideoData video => Channels(video.Frames.Shape[2]),
        TableData table => table.Columns.Where(c => !c.IsString).Select(c => c.Name).ToArray(),
        _ => [],
    };

    /// <summary>The shape of one sample (without N), for the types whose samples all have one; null otherwise.</summary>
    public static IReadOnlyList<int>? RowShape<X>(X batch) where X : IArcData<X> => batch switch
    {
        ImageData image => image.Pixels.ShapeArray()[1..],
        AudioData audio => audio.Samples.ShapeArray()[1..],
        VideoData video => video.Frames.ShapeArray()[1..],
        _ => null,
    };

    /// <summary>Calls <paramref name="add"/> with blocks of each feature's values (feature index, values), in order.</summary>
    public static void Visit<X>(X batch, Action<int, ReadOnlySpan<double>> add) where X : IArcData<X>
    {
        switch (batch)
        {
            case ImageData image: VisitAxis(image.Pixels, 1, add); break;
            case AudioData audio: VisitAxis(audio.Samples, 1, add); break;
            case VideoData video: VisitAxis(video.Frames, 2, add); break;
            case TableData table:
                int feature = 0;
                foreach (var column in table.Columns)
                {
                    if (column.IsString) continue;
                    var values = column.Values!;
                    VisitBlocks(values, 0, values.Length, feature++, add);
                }
                break;
        }
    }

    private static string[] Channels(int count) => Enumerable.Range(0, count).Select(c => $"channel {c}").ToArray();

    /// <summary>An array whose dimension <paramref name="axis"/> is the feature: each (outer index, feature) is one contiguous block.</summary>
    private static void VisitAxis(ArcArray array, int axis, Action<int, ReadOnlySpan<double>> add)
    {
        var shape = array.Shape;
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < shape.Length; d++) inner *= shape[d];
        int features = shape[axis];
        for (long o = 0; o < outer; o++)
            for (int f = 0; f < features; f++)
                VisitBlocks(array, (o * features + f) * inner, inner, f, add);
    }

    [ThreadStatic] private static double[]? _buffer;

    /// <summary>Converts elements [start, start + count) to doubles a block at a time and hands them on.</summary>
    private static void VisitBlocks(ArcArray array, long start, long count, int feature, Action<int, ReadOnlySpan<double>> add)
    {
        var buffer = _buffer ??= new double[4096];
        for (long done = 0; done < count; done += buffer.Length)
        {
            int n = (int)Math.Min(buffer.Length, count - done);
            Convert(array, (int)(start + done), buffer.AsSpan(0, n));
            add(feature, buffer.AsSpan(0, n));
        }
    }

    private static void Convert(ArcArray array, int start, Span<double> into)
    {
        switch (array.DType)
        {
            case ArcDType.Float32: Widen(array.AsSpan<float>().Slice(start, into.Length), into); break;
            case ArcDType.Float64: array.AsSpan<double>().Slice(start, into.Length).CopyTo(into); break;
            case ArcDType.Int32: Widen(array.AsSpan<int>().Slice(start, into.Length), into); break;
            case ArcDType.Int64: Widen(array.AsSpan<long>().Slice(start, into.Length), into); break;
            case ArcDType.UInt8: Widen(array.AsSpan<byte>().Slice(start, into.Length), into); break;
            case ArcDType.Bool:
                var bools = array.AsSpan<bool>().Slice(start, into.Length);
                for (int i = 0; i < into.Length; i++) into[i] = bools[i] ? 1 : 0;
                break;
            default: throw new NotSupportedException($"element type {array.DType} has no numeric view");
        }
    }

    private static void Widen<T>(ReadOnlySpan<T> values, Span<double> into) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        for (int i = 0; i < into.Length; i++) into[i] = double.CreateTruncating(values[i]);
    }
}
