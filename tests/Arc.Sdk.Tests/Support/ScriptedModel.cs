using Arc.Types;

namespace Arc.Sdk.Tests.Support;

/// <summary>
/// A model over <see cref="TestData.Numbered"/> samples that gets exactly the first <c>correct</c> sample numbers right
/// (class i mod 3) and the rest wrong, records every batch it was fitted on, and can throw or act on a chosen fit.
/// </summary>
internal sealed class ScriptedModel(string name, int correct) : ISupervisedModel<ImageData, ClassData>
{
    public List<int[]> FittedBatches { get; } = new();

    /// <summary>The fit (from 1) that throws <see cref="FitError"/>; 0 for none.</summary>
    public int FailOnFit { get; init; }

    public Exception FitError { get; } = new InvalidOperationException($"model {name} breaks on purpose");

    /// <summary>Called before each fit with the fit's number (from 1).</summary>
    public Action<int>? BeforeFit { get; init; }

    public string Name => name;

    public ValueTask<FitResult> FitAsync(ImageData x, ClassData y, CancellationToken cancellationToken = default)
    {
        int fit = FittedBatches.Count + 1;
        BeforeFit?.Invoke(fit);
        cancellationToken.ThrowIfCancellationRequested();
        if (fit == FailOnFit) throw FitError;
        var ids = TestData.Ids(x);
        FittedBatches.Add(ids);
        return ValueTask.FromResult(new FitResult(0.5, ids.Length));
    }

    public ValueTask<ClassData> PredictAsync(ImageData x, CancellationToken cancellationToken = default)
    {
        var predicted = TestData.Ids(x).Select(i => (long)(i < correct ? i % 3 : (i + 1) % 3)).ToArray();
        return ValueTask.FromResult(new ClassData(predicted, TestData.ThreeClasses));
    }

    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
