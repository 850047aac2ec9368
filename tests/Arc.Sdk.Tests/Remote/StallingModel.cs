using System.Diagnostics;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A registered model whose Predict announces itself on stderr and then never returns: lets a test kill its worker
/// process while a call is certainly in flight.
/// </summary>
[Model]
public partial class StallingModel : SupervisedModel<ImageData, ClassData>
{
    /// <summary>The line Predict writes to stderr before it stalls.</summary>
    public const string PredictStarted = "stalling model: predict started";

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => throw new NotSupportedException("this model only stalls");

    /// <inheritdoc />
    public override ClassData Predict(ImageData x)
    {
        Console.Error.WriteLine(PredictStarted);
        Thread.Sleep(Timeout.Infinite);
        throw new UnreachableException();
    }

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}
