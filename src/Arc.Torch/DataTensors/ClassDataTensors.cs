using TorchSharp;
using Arc.Types;

namespace Arc.Torch;

/// <summary>
/// <see cref="ClassData"/> to and from TorchSharp tensors. The conversions live here, not on the type, so that a program
/// which only calls remote models needs no TorchSharp; <c>using Arc.Torch;</c> brings them in.
/// </summary>
public static class ClassDataTensors
{
    extension(ClassData)
    {
        /// <summary>Classes from an int64 (or int32) index tensor of shape N.</summary>
        public static ClassData FromTensor(torch.Tensor indices, IReadOnlyList<string> classNames)
        {
            using var asLong = indices.to_type(torch.ScalarType.Int64);
            return new ClassData(asLong.ToArcArray(), classNames);
        }

        /// <summary>Classes from N×K logits or probabilities: argmax per row, scores kept (as float32).</summary>
        public static ClassData FromScores(torch.Tensor scores, IReadOnlyList<string> classNames)
        {
            using var argmax = scores.argmax(1);
            using var asFloat = scores.to_type(torch.ScalarType.Float32);
            return new ClassData(argmax.ToArcArray(), classNames, asFloat.ToArcArray());
        }
    }

    extension(ClassData classes)
    {
        /// <summary>The indices as an int64 tensor of shape N on <paramref name="device"/>.</summary>
        public torch.Tensor ToTensor(torch.Device? device = null) => classes.Indices.ToTensor(device);
    }
}
