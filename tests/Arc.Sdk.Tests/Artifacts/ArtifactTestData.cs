using Arc.Artifacts;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>Artifacts with known content for the store tests.</summary>
internal static class ArtifactTestData
{
    public const string ArtifactType = "application/vnd.arc.test.v1";

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A config document, a weights-like layer and a small JSON layer.</summary>
    public static ArtifactContent Sample(int seed, int weightBytes = 3000) =>
        new ArtifactContent(ArtifactType)
            .WithConfig("application/vnd.arc.test.config.v1+json", System.Text.Encoding.UTF8.GetBytes($"{{\"seed\":{seed}}}"))
            .AddLayer("weights.bin", "application/vnd.arc.test.weights", Bytes(weightBytes, seed))
            .AddLayer("hyperparameters.json", "application/json", System.Text.Encoding.UTF8.GetBytes($"{{\"hidden\":{seed}}}"))
            .Annotate("org.example.note", $"sample {seed}");

    /// <summary>Flips one bit in the middle of a stored file: same size, different content.</summary>
    public static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
