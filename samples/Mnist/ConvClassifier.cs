using TorchSharp;
using static TorchSharp.torch;
using Arc.Sdk;
using Arc.Torch;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>
/// A small CNN: conv 3×3 (1 → <c>channels</c>), ReLU, max-pool 2 → conv 3×3 (<c>channels</c> → 2·<c>channels</c>),
/// ReLU, max-pool 2 → dropout (none by default) → linear to 10 logits; trained with Adam. Sized to train a few epochs in about a minute on 2 CPU cores.
/// </summary>
[Model]
public partial class ConvClassifier : TorchClassifier<ImageData>
{
    /// <summary>A CNN with <paramref name="channels"/> filters in its first layer and Adam at <paramref name="learningRate"/>.</summary>
    /// <param name="channels">Filters in the first convolution (the second has twice as many).</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="seed">When set, seeds torch before the layers are built (<see cref="MnistDigits.SeedWeights"/>).</param>
    /// <param name="dropout">The probability of zeroing each flattened feature while fitting (0, the default: no dropout).</param>
    public ConvClassifier(int channels = 8, double learningRate = 2e-3, int? seed = null, double dropout = 0) : base(MnistDigits.ClassNames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(dropout);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dropout, 1);
        MnistDigits.SeedWeights(seed);
        int side = MnistDigits.Side / 4; // two 2×2 poolings
        Initialize(
            nn.Sequential(
                nn.Conv2d(1, channels, kernel_size: 3, padding: 1),
                nn.ReLU(),
                nn.MaxPool2d(kernel_size: 2),
                nn.Conv2d(channels, 2 * channels, kernel_size: 3, padding: 1),
                nn.ReLU(),
                nn.MaxPool2d(kernel_size: 2),
                nn.Flatten(),
                // p = 0 draws nothing from torch's generator, so the default trains exactly as before the option existed.
                nn.Dropout(dropout),
                nn.Linear(2 * channels * side * side, MnistDigits.ClassNames.Count)),
            parameters => optim.Adam(parameters, learningRate));
    }

    /// <inheritdoc />
    protected override Tensor ToInput(ImageData x) => MnistDigits.Standardize(x.ToTensor(Device));
}
