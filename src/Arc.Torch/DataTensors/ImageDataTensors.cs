using TorchSharp;
using Arc.Types;

namespace Arc.Torch;

/// <summary>
/// <see cref="ImageData"/> to and from TorchSharp tensors. The conversions live here, not on the type, so that a program
/// which only calls remote models needs no TorchSharp; <c>using Arc.Torch;</c> brings them in.
/// </summary>
public static class ImageDataTensors
{
    extension(ImageData)
    {
        /// <summary>Images from a N×C×H×W tensor (copied to the CPU).</summary>
        public static ImageData FromTensor(torch.Tensor pixels) => new(pixels.ToArcArray());
    }

    extension(ImageData images)
    {
        /// <summary>The pixels as a N×C×H×W tensor on <paramref name="device"/>.</summary>
        public torch.Tensor ToTensor(torch.Device? device = null) => images.Pixels.ToTensor(device);
    }
}
