using TorchSharp;
using static TorchSharp.torch;
using Arc.Types;

namespace Arc.Torch;

/// <summary>
/// A TorchSharp classifier: the network maps a batch to N×K logits, training uses cross-entropy, and predictions
/// are the argmax class with the softmax probabilities kept as <see cref="ClassData.Scores"/>. A subclass only builds
/// its network and says how inputs become a tensor (<see cref="TorchSupervisedModel{X,Y}.ToInput"/>).
/// </summary>
public abstract class TorchClassifier<X> : TorchSupervisedModel<X, ClassData>
    where X : IArcData<X>
{
    /// <summary>A classifier over the K <paramref name="classNames"/>, on <paramref name="device"/>.</summary>
    protected TorchClassifier(IReadOnlyList<string> classNames, ArcDevice device = default) : base(device)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2) throw new ArgumentException("a classifier needs at least two classes", nameof(classNames));
        ClassNames = classNames.ToArray();
    }

    /// <summary>The K class names; the network's output column i scores class i.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The class indices as int64 on the device; the targets' class names must be this model's.</summary>
    protected override Tensor ToTarget(ClassData y)
    {
        if (!y.ClassNames.SequenceEqual(ClassNames))
            throw new ArgumentException(
                $"the targets name the classes [{string.Join(", ", y.ClassNames)}] but {GetType().Name} was built for [{string.Join(", ", ClassNames)}]", nameof(y));
        return y.ToTensor(Device);
    }

    /// <summary>Cross-entropy of N×K logits against class indices.</summary>
    protected override Tensor ComputeLoss(Tensor output, Tensor target)
    {
        if (output.ndim != 2 || output.shape[1] != ClassNames.Count)
            throw new InvalidOperationException($"{GetType().Name}'s network must output N×{ClassNames.Count} logits; it produced [{string.Join(", ", output.shape)}]");
        return nn.functional.cross_entropy(output, target);
    }

    /// <summary>Argmax classes with softmax probabilities as scores.</summary>
    protected override ClassData ToPrediction(Tensor output)
    {
        if (output.ndim != 2 || output.shape[1] != ClassNames.Count)
            throw new InvalidOperationException($"{GetType().Name}'s network must output N×{ClassNames.Count} logits; it produced [{string.Join(", ", output.shape)}]");
        return ClassData.FromScores(nn.functional.softmax(output, 1), ClassNames);
    }
}
