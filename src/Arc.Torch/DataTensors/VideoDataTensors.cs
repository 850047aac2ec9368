using TorchSharp;
using Arc.Types;

namespace Arc.Torch;

/// <summary>
/// <see cref="VideoData"/> to and from TorchSharp tensors. The conversions live here, not on the type, so that a program
/// which only calls remote models needs no TorchSharp; <c>using Arc.Torch;</c> brings them in.
/// </summary>
public static class VideoDataTensors
{
    extension(VideoData)
    {
        /// <summary>Video from an N×T×C×H×W tensor (copied to the CPU, dtype kept).</summary>
        public static VideoData FromTensor(torch.Tensor frames, double framesPerSecond) => new(frames.ToArcArray(), framesPerSecond);
    }

    extension(VideoData video)
    {
        /// <summary>The frames as an N×T×C×H×W tensor on <paramref name="device"/>.</summary>
        public torch.Tensor ToTensor(torch.Device? device = null) => video.Frames.ToTensor(device);
    }
}
