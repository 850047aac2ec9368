using System.Text;
using Arc.Sdk.Tests.Remote;
using TorchSharp;
using static TorchSharp.torch;

namespace Arc.Sdk.Tests.Torch;

/// <summary>
/// Weights for a <see cref="WorkerMlp"/> with 8 hidden units (state dict '1.weight', '1.bias', '3.weight', '3.bias') that
/// are damaged so that a load fails only after some entries have been read, where TorchSharp's own loader has already
/// copied them into the model. Each case names the fragment its error message must contain.
/// </summary>
internal static class DamagedWeights
{
    public const int Hidden = 8;

    /// <summary>The case names, for [Theory] data.</summary>
    public static TheoryData<string> Names => new(Cases.Keys);

    /// <summary>Valid weights of a <see cref="WorkerMlp"/>(8) with seed-fixed values that differ from any other model's.</summary>
    public static byte[] Foreign { get; } = Save(WithSeed(() => new WorkerMlp(Hidden)));

    /// <summary>Each case: the bytes and a fragment of the expected error.</summary>
    public static IReadOnlyDictionary<string, (byte[] Bytes, string Expected)> Cases { get; } = new Dictionary<string, (byte[], string)>
    {
        // The last entry is '3.bias' (3 floats): cutting 5 bytes leaves the first three entries whole.
        ["truncated inside the last parameter"] = (Foreign[..^5], "they end inside parameter '3.bias': 7 of its 12 bytes"),
        ["truncated after the first layer"] = (Foreign[..(4 * (16 * Hidden + Hidden) + 40)], "they end"),
        ["last layer of another shape"] = (Save(WithSeed(() => Sequential(nn.Linear(Hidden, 4)))),
            "parameter '3.weight' has shape [4, 8] in the weights but [3, 8] in the model"),
        ["last layer of another element type"] = (Save(WithSeed(() => Sequential(nn.Linear(Hidden, 3, dtype: float64)))),
            "parameter '3.weight' holds Float64 in the weights but Float32 in the model"),
        ["one layer more"] = (Save(WithSeed(() => Sequential(nn.Linear(Hidden, 3), nn.ReLU(), nn.Linear(3, 3)))),
            "they hold 6 entries, the model has 4"),
        ["a corrupted name"] = (Replace(Foreign, "3.bias", "3.bXas"), "entry 3 is named '3.bXas', which the model does not have"),
        ["random bytes"] = (RandomBytes(300, seed: 4), "do not fit WorkerMlp"),
    };

    /// <summary>A network with WorkerMlp's first layer and <paramref name="tail"/> after its ReLU.</summary>
    private static nn.Module<Tensor, Tensor> Sequential(params nn.Module<Tensor, Tensor>[] tail)
        => nn.Sequential(new nn.Module<Tensor, Tensor>[] { nn.Flatten(), nn.Linear(16, Hidden), nn.ReLU() }.Concat(tail).ToArray());

    private static T WithSeed<T>(Func<T> create)
    {
        torch.manual_seed(20260);
        return create();
    }

    private static byte[] Save(WorkerMlp model)
    {
        using (model)
        {
            using var stream = new MemoryStream();
            model.SaveWeights(stream);
            return stream.ToArray();
        }
    }

    private static byte[] Save(nn.Module<Tensor, Tensor> network)
    {
        using (network)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
                network.save(writer);
            return stream.ToArray();
        }
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var find = Encoding.UTF8.GetBytes(from);
        int at = bytes.AsSpan().IndexOf(find);
        if (at < 0 || bytes.AsSpan(at + 1).IndexOf(find) >= 0) throw new InvalidOperationException($"'{from}' is not in the weights exactly once");
        var copy = (byte[])bytes.Clone();
        Encoding.UTF8.GetBytes(to).CopyTo(copy, at);
        return copy;
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
