using Arc.Sdk;
using Arc.Types;

namespace Arc.Testing.Fuzz;

/// <summary>
/// The model the live fuzzer's model worker serves: trivial on purpose (its answer depends only on the row count), so
/// the worker's time goes to the transport and the wire readers under test, and every answer can be predicted exactly.
/// Its weights are whatever bytes were last loaded, so a final load-then-save proves the worker still holds state.
/// </summary>
[Model]
public partial class FuzzProbe : SupervisedModel<ImageData, ClassData>, IOptimizerState
{
    private byte[] _weights = [];
    private byte[] _optimizer = [1];

    /// <summary>The three class names.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["a", "b", "c"];

    /// <summary>A probe; it has no parameters.</summary>
    public FuzzProbe() { }

    /// <summary>What <see cref="Predict"/> answers for <paramref name="x"/>: class <c>row mod 3</c> for each row.</summary>
    public static ClassData Answer(ImageData x)
    {
        var classes = new long[x.Count];
        for (int i = 0; i < classes.Length; i++) classes[i] = i % ClassNames.Count;
        return new ClassData(classes, ClassNames);
    }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => Answer(x);

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) => destination.Write(Volatile.Read(ref _weights));

    /// <inheritdoc />
    public override void LoadWeights(Stream source)
    {
        using var copy = new MemoryStream();
        source.CopyTo(copy);
        Volatile.Write(ref _weights, copy.ToArray());
    }

    /// <inheritdoc />
    public void SaveOptimizerState(Stream destination) => destination.Write(Volatile.Read(ref _optimizer));

    /// <inheritdoc />
    public void LoadOptimizerState(Stream source)
    {
        using var copy = new MemoryStream();
        source.CopyTo(copy);
        Volatile.Write(ref _optimizer, copy.ToArray());
    }
}

/// <summary>The job the live fuzzer's job worker serves: <see cref="SplitSize"/> seeded 1×4×4 images in every split.</summary>
[Job]
public partial class FuzzJob : SupervisedJob<ImageData, ClassData>
{
    /// <summary>Samples in each split.</summary>
    public const int SplitSize = 16;

    /// <summary>A job; it has no parameters.</summary>
    public FuzzJob() { }

    /// <inheritdoc />
    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
    {
        var random = new Random(100 + (int)split);
        var pixels = new float[SplitSize * 16];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        var classes = new long[SplitSize];
        for (int i = 0; i < SplitSize; i++) classes[i] = i % FuzzProbe.ClassNames.Count;
        return ValueTask.FromResult(new Batch<ImageData, ClassData>(
            new ImageData(ArcArray.From(pixels, SplitSize, 1, 4, 4)), new ClassData(classes, FuzzProbe.ClassNames)));
    }
}

/// <summary>The pods the live fuzzer's pod worker serves: pure functions, so their results can be computed here too.</summary>
public static partial class FuzzPods
{
    /// <summary>The sum of <paramref name="values"/> times <paramref name="scale"/>.</summary>
    [Pod(Name = "fuzz.sum")]
    public static double Sum(double[] values, double scale = 1)
    {
        double sum = 0;
        foreach (double value in values) sum += value;
        return sum * scale;
    }

    /// <summary>Its arguments in one line.</summary>
    [Pod(Name = "fuzz.line")]
    public static string Line(string text, long number, bool flag = false) => $"{text}|{number}|{flag}";
}
