using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>Seeded random images for the remote tests.</summary>
internal static class RemoteTestData
{
    public static (ImageData Images, float[] Pixels) Images(int n, int h, int w, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[n * h * w];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)random.NextDouble();
        return (new ImageData(ArcArray.From(pixels, n, 1, h, w)), pixels);
    }
}
