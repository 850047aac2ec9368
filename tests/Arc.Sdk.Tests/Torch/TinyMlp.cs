using Arc.Samples.Mnist;
using TorchSharp;
using static TorchSharp.torch;
using Arc.Torch;
using Arc.Types;

namespace Arc.Sdk.Tests.Torch;

/// <summary>A small real TorchSharp classifier for the tests: 784 → hidden → 10, optional dropout.</summary>
internal sealed class TinyMlp : TorchClassifier<ImageData>
{
    public TinyMlp(int hidden = 32, double dropout = 0.0, double learningRate = 3e-3) : base(MnistDigits.ClassNames, ArcDevice.Cpu)
    {
        Hidden = hidden;
        Initialize(
            nn.Sequential(
                nn.Flatten(),
                nn.Linear(MnistDigits.PixelsPerImage, hidden),
                nn.ReLU(),
                nn.Dropout(dropout),
                nn.Linear(hidden, MnistDigits.ClassNames.Count)),
            parameters => optim.Adam(parameters, learningRate));
    }

    /// <summary>The hidden layer's width.</summary>
    public int Hidden { get; }

    /// <summary>Whether the network is in training mode (dropout active).</summary>
    public bool IsTraining => Network.training;

    protected override Tensor ToInput(ImageData x) => MnistDigits.Standardize(x.ToTensor(Device));
}

/// <summary>A model that forgets to call Initialize.</summary>
internal sealed class UninitializedModel() : TorchClassifier<ImageData>(MnistDigits.ClassNames, ArcDevice.Cpu)
{
    protected override Tensor ToInput(ImageData x) => x.ToTensor(Device);
}
