using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Torch;
using Arc.Types;
using TorchSharp;
using static TorchSharp.torch;

namespace Arc.Serving.Tests;

/// <summary>A small MLP over MNIST digits, with an image contract so that serving checks sizes before the model runs.</summary>
[Model]
[ImageContract(Channels = 1, Height = 28, Width = 28)]
public partial class DigitMlp : TorchClassifier<ImageData>
{
    /// <summary>An MLP with <paramref name="hidden"/> hidden units, seeded for the same weights in every process.</summary>
    public DigitMlp(int hidden = 32, int seed = 7) : base(MnistDigits.ClassNames)
    {
        MnistDigits.SeedWeights(seed);
        Initialize(
            nn.Sequential(nn.Flatten(), nn.Linear(MnistDigits.PixelsPerImage, hidden), nn.ReLU(), nn.Linear(hidden, MnistDigits.ClassNames.Count)),
            parameters => optim.Adam(parameters, 3e-3));
    }

    /// <inheritdoc />
    protected override Tensor ToInput(ImageData x) => MnistDigits.Standardize(x.ToTensor(Device));
}
