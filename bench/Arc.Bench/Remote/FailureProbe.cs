using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench.Remote;

/// <summary>
/// The model of the failing-call case: as trivial as <see cref="PredictProbe"/>, except that the first pixel chooses
/// how a call fails — <see cref="ModelError"/> throws <see cref="InvalidOperationException"/> (an
/// <c>ArcRemoteException</c> at the caller), <see cref="ArgumentError"/> throws <see cref="ArgumentException"/> (the same
/// exception at the caller) — so that a failing call costs the same compute as a successful one.
/// </summary>
[Model]
public partial class FailureProbe : SupervisedModel<ImageData, ClassData>
{
    /// <summary>The first pixel of a sample whose prediction throws <see cref="InvalidOperationException"/>.</summary>
    public const float ModelError = -1;

    /// <summary>The first pixel of a sample whose prediction throws <see cref="ArgumentException"/>.</summary>
    public const float ArgumentError = -2;

    /// <summary>A probe; it has no parameters.</summary>
    public FailureProbe() { }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => x.Pixels.AsSpan<float>()[0] switch
    {
        ModelError => throw new InvalidOperationException("the failure probe fails on purpose"),
        ArgumentError => throw new ArgumentException("the failure probe refuses this sample on purpose", nameof(x)),
        _ => PredictProbe.Reply(x.Count),
    };

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}
