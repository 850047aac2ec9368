using TorchSharp;
using static TorchSharp.torch;
using Arc.Sdk;
using Arc.Torch;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A small MLP registered by the generator (so Arc.Worker can load it from this assembly by name): 1×4×4 images →
/// <c>hidden</c> ReLU units → 3 classes.
/// </summary>
[Model]
public partial class WorkerMlp : TorchClassifier<ImageData>
{
    /// <summary>The class names.</summary>
    public static readonly IReadOnlyList<string> Classes = ["a", "b", "c"];

    /// <summary>An MLP with <paramref name="hidden"/> hidden units.</summary>
    public WorkerMlp(int hidden = 8) : base(Classes, ArcDevice.Cpu)
    {
        Initialize(
            nn.Sequential(nn.Flatten(), nn.Linear(16, hidden), nn.ReLU(), nn.Linear(hidden, Classes.Count)),
            parameters => optim.Adam(parameters, 1e-2));
    }

    /// <inheritdoc />
    protected override Tensor ToInput(ImageData x) => x.ToTensor(Device);
}
