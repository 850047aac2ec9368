using Arc.Samples.Mnist;
using Arc.Torch;
using Arc.Types;
using static TorchSharp.torch;

namespace Arc.Sdk.Tests.Torch;

/// <summary>
/// The MNIST sample's MLP shape (784 → <c>hidden</c> ReLU → 10, Adam) registered by the generator in this assembly, so
/// an Arc.Worker process can serve it: the tests that need a worker fitting MNIST-sized batches use it.
/// </summary>
[Model]
public partial class DigitWorkerMlp : TorchClassifier<ImageData>
{
    /// <summary>An MLP with <paramref name="hidden"/> hidden units.</summary>
    public DigitWorkerMlp(int hidden = 128) : base(MnistDigits.ClassNames, ArcDevice.Cpu)
    {
        Initialize(
            nn.Sequential(nn.Flatten(), nn.Linear(MnistDigits.PixelsPerImage, hidden), nn.ReLU(), nn.Linear(hidden, MnistDigits.ClassNames.Count)),
            parameters => optim.Adam(parameters, 1e-3));
    }

    /// <inheritdoc />
    protected override Tensor ToInput(ImageData x) => x.ToTensor(Device);
}
