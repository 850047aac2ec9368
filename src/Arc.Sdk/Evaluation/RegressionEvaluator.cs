using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The built-in evaluator for tensor targets — <see cref="ImageData"/>, <see cref="AudioData"/>, <see cref="VideoData"/>
/// (all elements) and <see cref="TableData"/> (its numeric and bool columns, each scored on its own and together):
/// mean squared error, root mean squared error and mean absolute error over every element, accumulated a batch at a
/// time. Predictions and truth must have the same shape (columns: the same names and order).
/// </summary>
/// <typeparam name="Y">The target type.</typeparam>
public sealed class RegressionEvaluator<Y> : IEvaluator<Y> where Y : IArcData<Y>
{
    private readonly Func<Y, IReadOnlyList<(string Name, ArcArray Values)>> _parts;
    private string[]? _names;
    private int[][]? _rowShapes;
    private double[] _squared = [];
    private double[] _absolute = [];
    private long[] _elements = [];
    private long _samples;

    /// <param name="parts">The named arrays of a batch to score: one (<c>""</c>) for tensors, one per numeric column for a table.</param>
    internal RegressionEvaluator(Func<Y, IReadOnlyList<(string Name, ArcArray Values)>> parts) => _parts = parts;

    /// <inheritdoc />
    public void Accumulate(Y predicted, Y truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Count != truth.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} true samples; a model must predict one row per input", nameof(predicted));
        var p = _parts(predicted);
        var t = _parts(truth);
        if (!p.Select(x => x.Name).SequenceEqual(t.Select(x => x.Name), StringComparer.Ordinal))
            throw new ArgumentException($"the predictions hold {Describe(p)} but the truth holds {Describe(t)}; they must match", nameof(predicted));
        if (_names is null)
        {
            _names = t.Select(x => x.Name).ToArray();
            _rowShapes = t.Select(x => x.Values.ShapeArray()[1..]).ToArray();
            _squared = new double[_names.Length];
            _absolute = new double[_names.Length];
            _elements = new long[_names.Length];
        }
        else if (!_names.SequenceEqual(t.Select(x => x.Name), StringComparer.Ordinal))
            throw new ArgumentException($"this batch holds {Describe(t)}, but the first held {string.Join(", ", _names)}", nameof(truth));
        for (int i = 0; i < t.Count; i++)
        {
            var truthShape = t[i].Values.ShapeArray();
            var predictedShape = p[i].Values.ShapeArray();
            if (!truthShape.AsSpan(1).SequenceEqual(_rowShapes![i]) || !predictedShape.AsSpan(1).SequenceEqual(_rowShapes[i]))
                throw new ArgumentException($"{What(_names[i])} has rows of shape ({string.Join(", ", predictedShape[1..])}) predicted and ({string.Join(", ", truthShape[1..])}) true; every row must be ({string.Join(", ", _rowShapes[i])})", nameof(predicted));
            var a = Values.ToDoubles(p[i].Values);
            var b = Values.ToDoubles(t[i].Values);
            for (int k = 0; k < a.Length; k++)
            {
                double d = a[k] - b[k];
                _squared[i] += d * d;
                _absolute[i] += Math.Abs(d);
            }
            _elements[i] += a.Length;
        }
        _samples += truth.Count;
    }

    /// <inheritdoc />
    public IEvalDetail Finish()
    {
        var names = _names ?? [];
        var parts = names.Select((name, i) => new RegressionPart(name, _elements[i], _squared[i], _absolute[i])).ToList();
        return new RegressionMetrics(_samples, parts);
    }

    private static string What(string name) => name.Length == 0 ? "the tensor" : $"column '{name}'";

    private static string Describe(IReadOnlyList<(string Name, ArcArray Values)> parts)
        => parts.Count == 1 && parts[0].Name.Length == 0 ? "one tensor" : "columns " + string.Join(", ", parts.Select(x => x.Name));

    /// <summary>Elements as doubles, whatever their element type.</summary>
    private static class Values
    {
        public static double[] ToDoubles(ArcArray array) => array.DType switch
        {
            ArcDType.Float32 => Convert(array.AsSpan<float>(), v => v),
            ArcDType.Float64 => array.AsSpan<double>().ToArray(),
            ArcDType.Int32 => Convert(array.AsSpan<int>(), v => v),
            ArcDType.Int64 => Convert(array.AsSpan<long>(), v => v),
            ArcDType.UInt8 or ArcDType.Bool => Convert(array.AsSpan<byte>(), v => v),
            _ => throw new NotSupportedException($"{array.DType} values cannot be scored as numbers"),
        };

        private static double[] Convert<T>(ReadOnlySpan<T> span, Func<T, double> map)
        {
            var result = new double[span.Length];
            for (int i = 0; i < result.Length; i++) result[i] = map(span[i]);
            return result;
        }
    }
}

/// <summary>The built-in regression evaluators, one per tensor type.</summary>
public static class RegressionEvaluators
{
    /// <summary>Every pixel of N×C×H×W.</summary>
    public static RegressionEvaluator<ImageData> Image() => new(y => [("", y.Pixels)]);

    /// <summary>Every sample of N×C×T.</summary>
    public static RegressionEvaluator<AudioData> Audio() => new(y => [("", y.Samples)]);

    /// <summary>Every value of N×T×C×H×W.</summary>
    public static RegressionEvaluator<VideoData> Video() => new(y => [("", y.Frames)]);

    /// <summary>Each numeric or bool column (string columns are not scored).</summary>
    public static RegressionEvaluator<TableData> Table() => new(y => y.Columns.Where(c => !c.IsString).Select(c => (c.Name, c.Values!)).ToList());
}
