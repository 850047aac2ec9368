using Arc.Sdk;
using Arc.Types;

namespace Samples;

/// <summary>The example from the design: two hyperparameters with defaults.</summary>
[Model]
public partial class ConvClassifier : SupervisedModel<ImageData, ClassData>
{
    private readonly int _hidden;
    private readonly double _learningRate;

    /// <summary>Creates the model.</summary>
    public ConvClassifier(int hidden = 128, double learningRate = 1e-3)
    {
        _hidden = hidden;
        _learningRate = learningRate;
    }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => throw new System.NotSupportedException();

    /// <inheritdoc />
    public override void SaveWeights(System.IO.Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(System.IO.Stream source) { }

    /// <inheritdoc />
    public override string ToString() => $"hidden={_hidden} learningRate={_learningRate}";
}
