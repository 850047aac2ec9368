using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A registered model whose <c>Fit</c> takes <c>fitMilliseconds</c> and whose prediction is class 0: enough to keep a
/// worker's call slots busy while a flood arrives.
/// </summary>
[Model]
public partial class SlowFitModel : SupervisedModel<ImageData, ClassData>
{
    private readonly int _fitMilliseconds;

    /// <summary>Creates the model; each fit sleeps <paramref name="fitMilliseconds"/>.</summary>
    public SlowFitModel(int fitMilliseconds = 2000) => _fitMilliseconds = fitMilliseconds;

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y)
    {
        Thread.Sleep(_fitMilliseconds);
        return new FitResult(0, y.Count);
    }

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => new(new long[x.Count], ["zero"]);

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}
