using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// Normalises images per channel: fitted on the training split's pixels (any element type, in raw units such as 0–255)
/// and class names, it gives float32 pixels <c>(raw - mean[c]) / std[c]</c> and <see cref="ClassData"/> targets;
/// inverted, it gives raw units and class names back.
/// </summary>
[Processor(Name = "image-normalizer")]
public sealed partial class ImageNormalizer
    : DatasetProcessor<ImageData, IReadOnlyList<string>, ImageData, ClassData, ImageNormalizer.FittedState>,
      IInvertibleProcessor<ImageData, IReadOnlyList<string>, ImageData, ClassData>
{
    /// <summary>A normaliser; a channel whose standard deviation is below <paramref name="minStd"/> is divided by <paramref name="minStd"/>.</summary>
    public ImageNormalizer(double minStd = 1e-6)
    {
        if (!(minStd > 0)) throw new ArgumentOutOfRangeException(nameof(minStd), minStd, "the smallest standard deviation must be positive");
        MinStd = minStd;
    }

    /// <summary>The smallest standard deviation divided by (a constant channel would otherwise divide by zero).</summary>
    public double MinStd { get; }

    /// <summary>The fitted state: per-channel mean and standard deviation in raw units, and the class names.</summary>
    /// <param name="Mean">One per channel.</param>
    /// <param name="Std">One per channel, at least <see cref="MinStd"/>.</param>
    /// <param name="ClassNames">The classes of the training split, in ordinal order.</param>
    public sealed record FittedState(double[] Mean, double[] Std, string[] ClassNames);

    /// <inheritdoc />
    protected override FittedState FitState(ImageData inputs, IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var values = PixelValues.ToDoubles(inputs.Pixels);
        int channels = inputs.Channels, plane = inputs.Height * inputs.Width;
        var sum = new double[channels];
        var squares = new double[channels];
        for (int n = 0; n < inputs.Count; n++)
            for (int c = 0; c < channels; c++)
            {
                var span = values.AsSpan((n * channels + c) * plane, plane);
                foreach (double v in span) { sum[c] += v; squares[c] += v * v; }
            }
        double count = Math.Max(1.0, (double)inputs.Count * plane);
        var mean = sum.Select(s => s / count).ToArray();
        var std = squares.Select((s, c) => Math.Max(MinStd, Math.Sqrt(Math.Max(0, s / count - mean[c] * mean[c])))).ToArray();
        return new FittedState(mean, std, ClassNames.Fit(targets));
    }

    /// <inheritdoc />
    public override ImageData ProcessInputs(ImageData inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var state = Checked(inputs);
        var values = PixelValues.ToDoubles(inputs.Pixels);
        var result = new float[values.Length];
        Map(values, result.Length, inputs, state, (v, c) => (float)((v - state.Mean[c]) / state.Std[c]), result);
        return new ImageData(ArcArray.From(result, inputs.Pixels.ShapeArray()));
    }

    /// <inheritdoc />
    public override ClassData ProcessTargets(IReadOnlyList<string> targets) => ClassNames.ToClassData(targets, State.ClassNames);

    /// <summary>Pixels in raw units (float32): <c>x * std[c] + mean[c]</c>.</summary>
    public ImageData InvertInputs(ImageData inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var state = Checked(inputs);
        var values = PixelValues.ToDoubles(inputs.Pixels);
        var result = new float[values.Length];
        Map(values, result.Length, inputs, state, (v, c) => (float)(v * state.Std[c] + state.Mean[c]), result);
        return new ImageData(ArcArray.From(result, inputs.Pixels.ShapeArray()));
    }

    /// <summary>The class name of each sample.</summary>
    public IReadOnlyList<string> InvertTargets(ClassData targets) => ClassNames.FromClassData(targets, State.ClassNames);

    private FittedState Checked(ImageData inputs)
    {
        var state = State;
        if (inputs.Channels != state.Mean.Length)
            throw new ArgumentException($"the images have {inputs.Channels} channels, but the processor was fitted on {state.Mean.Length}", nameof(inputs));
        return state;
    }

    private static void Map(double[] values, int length, ImageData inputs, FittedState state, Func<double, int, float> map, float[] result)
    {
        int channels = inputs.Channels, plane = inputs.Height * inputs.Width;
        for (int i = 0; i < length; i++)
            result[i] = map(values[i], i / plane % channels);
    }
}
