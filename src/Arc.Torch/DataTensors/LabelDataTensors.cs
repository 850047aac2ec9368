using TorchSharp;
using Arc.Types;

namespace Arc.Torch;

/// <summary>
/// <see cref="LabelData"/> to and from TorchSharp tensors. The conversions live here, not on the type, so that a program
/// which only calls remote models needs no TorchSharp; <c>using Arc.Torch;</c> brings them in.
/// </summary>
public static class LabelDataTensors
{
    extension(LabelData)
    {
        /// <summary>
        /// Labels from an N×K tensor: float32, uint8 and bool are kept as they are; any other dtype becomes float32.
        /// </summary>
        public static LabelData FromTensor(torch.Tensor labels, IReadOnlyList<string> labelNames)
        {
            if (labels.dtype is torch.ScalarType.Float32 or torch.ScalarType.Byte or torch.ScalarType.Bool)
                return new LabelData(labels.ToArcArray(), labelNames);
            using var asFloat = labels.to_type(torch.ScalarType.Float32);
            return new LabelData(asFloat.ToArcArray(), labelNames);
        }

        /// <summary>
        /// Float32 multi-hot labels from N×K scores (probabilities, or logits with a threshold of 0): label j is set
        /// for sample i when scores[i, j] ≥ <paramref name="threshold"/>.
        /// </summary>
        public static LabelData FromScores(torch.Tensor scores, IReadOnlyList<string> labelNames, double threshold = 0.5)
        {
            if (scores.dim() != 2)
                throw new ArgumentException($"scores are N×K; got a tensor of rank {scores.dim()}", nameof(scores));
            using var limit = threshold.ToScalar(); // explicit, alive to the end of the call (TorchGcSafety)
            using var hot = scores.ge(limit);
            using var asFloat = hot.to_type(torch.ScalarType.Float32);
            return new LabelData(asFloat.ToArcArray(), labelNames);
        }
    }

    extension(LabelData labels)
    {
        /// <summary>The multi-hot matrix as an N×K tensor (dtype as stored) on <paramref name="device"/>.</summary>
        public torch.Tensor ToTensor(torch.Device? device = null) => labels.Labels.ToTensor(device);
    }
}
