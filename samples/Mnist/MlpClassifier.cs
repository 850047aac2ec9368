using TorchSharp;
using static TorchSharp.torch;
using Arc.Sdk;
using Arc.Torch;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>A multi-layer perceptron: 784 pixels → <c>hidden</c> ReLU units → 10 logits, trained with Adam.</summary>
[Model]
public partial class MlpClassifier : TorchClassifier<ImageData>
{
    /// <summary>An MLP with <paramref name="hidden"/> hidden units and Adam at <paramref name="learningRate"/>.</summary>
    /// <param name="hidden">Hidden units.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="seed">When set, seeds torch before the layers are built (<see cref="MnistDigits.SeedWeights"/>).</param>
    public MlpClassifier(int hidden = 128, double learningRate = 1e-3, int? seed = null) : base(MnistDigits.ClassNames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        MnistDigits.SeedWeights(seed);
        Initialize(
            nn.Sequential(
                nn.Flatten(),
                nn.Linear(MnistDigits.PixelsPerImage, hidden),
                nn.ReLU(),
                nn.Linear(hidden, MnistDigits.ClassNames.Count)),
            parameters => optim.Adam(parameters, learningRate));
    }

    /// <inheritdoc />
    protected override Tensor ToInput(ImageData x) => MnistDigits.Standardize(x.ToTensor(Device));
}
