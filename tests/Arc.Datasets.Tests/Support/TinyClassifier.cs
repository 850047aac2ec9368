using Arc.Torch;
using Arc.Types;
using TorchSharp;
using static TorchSharp.torch;

namespace Arc.Datasets.Tests.Support;

/// <summary>A real, small TorchSharp model: one linear layer from flattened pixels to class logits, trained with SGD.</summary>
internal sealed class TinyClassifier : TorchClassifier<ImageData>
{
    public TinyClassifier(int pixels, IReadOnlyList<string> classNames) : base(classNames)
    {
        torch.manual_seed(1);
        Initialize(nn.Sequential(nn.Flatten(), nn.Linear(pixels, classNames.Count)), parameters => optim.SGD(parameters, 0.01));
    }

    protected override Tensor ToInput(ImageData x) => x.ToTensor(Device);
}
