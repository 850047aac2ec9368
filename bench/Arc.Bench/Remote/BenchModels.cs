using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench.Remote;

/// <summary>
/// The model of the Predict latency case: deliberately trivial (class 0 for every sample, pixels unread), so that the
/// measured time is Arc's remote path — typed client, wire form, gRPC, worker dispatch — and not compute, and the raw
/// baseline can answer with the same reply bytes without doing any work either.
/// </summary>
[Model]
public partial class PredictProbe : SupervisedModel<ImageData, ClassData>
{
    /// <summary>The ten digit classes.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>A probe; it has no parameters.</summary>
    public PredictProbe() { }

    /// <summary>The reply the probe gives for <paramref name="count"/> samples.</summary>
    public static ClassData Reply(int count) => new(new long[count], ClassNames);

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => Reply(x.Count);

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}

/// <summary>MNIST-shaped synthetic data for the streaming case: N×1×28×28 float32 pixels and labels, fixed seed.</summary>
public sealed class SyntheticDigits : SupervisedJob<ImageData, ClassData>
{
    private readonly Batch<ImageData, ClassData> _train;

    /// <summary>A job with <paramref name="samples"/> training samples.</summary>
    public SyntheticDigits(int samples)
    {
        var random = new Random(7);
        var pixels = new float[samples * 28 * 28];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        var labels = new long[samples];
        for (int i = 0; i < samples; i++) labels[i] = random.Next(10);
        _train = new(new ImageData(ArcArray.From(pixels, samples, 1, 28, 28)), new ClassData(labels, PredictProbe.ClassNames));
    }

    /// <inheritdoc />
    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
        => split == DataSplit.Train ? ValueTask.FromResult(_train) : throw new NotSupportedException($"{nameof(SyntheticDigits)} has a train split only, not {split}");
}
