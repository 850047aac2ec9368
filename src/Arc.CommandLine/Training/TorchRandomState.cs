using System.Runtime.InteropServices;
using TorchSharp;

namespace Arc.CommandLine;

/// <summary>
/// The state of torch's default CPU generator as bytes (<c>rng.bin</c> of a checkpoint): what dropout, random
/// augmentation and any other torch sampling draw from. Restored on <c>--resume</c>, a run continues the random stream
/// where the checkpoint left it, so it draws the same masks an uninterrupted run draws. A CUDA device's generator is not
/// saved: TorchSharp exposes only the CPU default generator's state.
/// </summary>
internal static class TorchRandomState
{
    public const string FileName = "rng.bin";

    public static byte[] Capture()
    {
        using var generator = torch.Generator.Default;
        using var state = generator.get_state();
        return state.data<byte>().ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a CPU generator state.</exception>
    public static void Restore(byte[] state)
    {
        using var generator = torch.Generator.Default;
        using var tensor = torch.tensor(state, dtype: torch.ScalarType.Byte);
        try
        {
            generator.set_state(tensor);
        }
        catch (Exception e) when (e is ExternalException or ArgumentException)
        {
            throw new InvalidDataException($"{FileName} is not a torch CPU generator state ({state.Length} bytes): {e.Message}", e);
        }
    }
}
