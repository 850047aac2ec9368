using Arc.Sdk;
using Arc.Torch;
using Arc.Types;
using TorchSharp;
using static TorchSharp.torch;

namespace ArcModel1;

/// <summary>A multi-layer perceptron: 64 pixels → <c>hidden</c> ReLU units → 10 logits, trained with Adam.</summary>
[Model]
public partial class MlpClassifier : TorchClassifier<ImageData>          // a SupervisedModel<ImageData, ClassData>
{
    /// <summary>An MLP with <paramref name="hidden"/> hidden units and Adam at <paramref name="learningRate"/>.</summary>
    /// <param name="hidden">Hidden units.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public MlpClassifier(int hidden = 128, double learningRate = 1e-2) : base(ClassifyDigits.ClassNames, ArcDevice.Cpu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        torch.manual_seed(1); // the same weights wherever the model is created: in process, in a worker
        Initialize(
            nn.Sequential(
                nn.Flatten(),
                nn.Linear(ClassifyDigits.Side * ClassifyDigits.Side, hidden),
                nn.ReLU(),
                nn.Linear(hidden, ClassifyDigits.ClassNames.Length)),
            parameters => optim.Adam(parameters, learningRate));
    }

    /// <inheritdoc />
    protected override Tensor ToInput(ImageData x) => x.ToTensor(Device);
}
