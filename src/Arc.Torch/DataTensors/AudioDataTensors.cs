using TorchSharp;
using Arc.Types;

namespace Arc.Torch;

/// <summary>
/// <see cref="AudioData"/> to and from TorchSharp tensors. The conversions live here, not on the type, so that a program
/// which only calls remote models needs no TorchSharp; <c>using Arc.Torch;</c> brings them in.
/// </summary>
public static class AudioDataTensors
{
    extension(AudioData)
    {
        /// <summary>Audio from an N×C×T tensor (converted to float32, copied to the CPU).</summary>
        public static AudioData FromTensor(torch.Tensor samples, int sampleRate)
        {
            using var asFloat = samples.to_type(torch.ScalarType.Float32);
            return new AudioData(asFloat.ToArcArray(), sampleRate);
        }
    }

    extension(AudioData audio)
    {
        /// <summary>The samples as a float32 N×C×T tensor on <paramref name="device"/>.</summary>
        public torch.Tensor ToTensor(torch.Device? device = null) => audio.Samples.ToTensor(device);
    }
}
