using Arc.Types;

namespace Arc.Sdk.Tests.Support;

/// <summary>
/// A model that predicts, for the numbered image i (see <see cref="TestData"/>), the class <c>answers[i]</c>, and
/// records every batch it was given. Lets tests know the exact confusion matrix an evaluation must produce.
/// </summary>
internal sealed class TableModel(long[] answers, string[] classNames) : ISupervisedModel<ImageData, ClassData>
{
    public List<int[]> FittedBatches { get; } = new();

    public int PredictCalls { get; private set; }

    /// <summary>When set, predictions drop this many samples (a broken model).</summary>
    public int DropPredictions { get; set; }

    public string Name => "table";

    public ValueTask<FitResult> FitAsync(ImageData x, ClassData y, CancellationToken cancellationToken = default)
    {
        var ids = TestData.Ids(x);
        FittedBatches.Add(ids);
        // The loss is the mean sample number, so an epoch's weighted mean loss is the mean over the whole split.
        return ValueTask.FromResult(new FitResult(ids.Average(), ids.Length));
    }

    public ValueTask<ClassData> PredictAsync(ImageData x, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PredictCalls++;
        var ids = TestData.Ids(x);
        var predicted = ids.Take(ids.Length - DropPredictions).Select(i => answers[i]).ToArray();
        return ValueTask.FromResult(new ClassData(predicted, classNames));
    }

    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
