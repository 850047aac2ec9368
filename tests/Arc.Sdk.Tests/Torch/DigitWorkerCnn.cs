using Arc.Samples.Mnist;
using Arc.Torch;
using Arc.Types;
using static TorchSharp.torch;

namespace Arc.Sdk.Tests.Torch;

/// <summary>
/// The MNIST sample's CNN shape (conv 3×3 1 → 8, ReLU, pool → conv 3×3 8 → 16, ReLU, pool → linear to 10, Adam)
/// registered by the generator in this assembly, so an Arc.Worker process can serve it: fitting 64 digits, its
/// activations are 1.6 MB tensors, over the sizes that fit in glibc's default heaps.
/// </summary>
[Model]
public partial class DigitWorkerCnn : TorchClassifier<ImageData>
{
    /// <summary>A CNN with <paramref name="channels"/> filters in its first layer.</summary>
    public DigitWorkerCnn(int channels = 8) : base(MnistDigits.ClassNames, ArcDevice.Cpu)
    {
        int side = MnistDigits.Side / 4; // two 2×2 poolings
        Initialize(
            nn.Sequential(
                nn.Conv2d(1, channels, kernel_size: 3, padding: 1), nn.ReLU(), nn.MaxPool2d(kernel_size: 2),
                nn.Conv2d(channels, 2 * channels, kernel_size: 3, padding: 1), nn.ReLU(), nn.MaxPool2d(kernel_size: 2),
                nn.Flatten(), nn.Linear(2 * channels * side * side, MnistDigits.ClassNames.Count)),
            parameters => optim.Adam(parameters, 1e-3));
    }

    /// <inheritdoc />
    protected override Tensor ToInput(ImageData x) => x.ToTensor(Device);
}
