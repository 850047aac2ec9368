using Arc.Types;

namespace Arc.Sdk.Tests.Deploy;

/// <summary>Images whose brightness says their class, for <see cref="NearestMeanModel"/>.</summary>
internal static class DeployTestData
{
    /// <summary><paramref name="n"/> 1×4×4 images; image i has class i mod 4 and pixels near (class / 3) with seeded noise.</summary>
    public static (ImageData Images, ClassData Classes) Levels(int n, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[n * 16];
        var classes = new long[n];
        for (int i = 0; i < n; i++)
        {
            classes[i] = i % 4;
            for (int p = 0; p < 16; p++) pixels[i * 16 + p] = classes[i] / 3f + (float)(random.NextDouble() - 0.5) * 0.3f;
        }
        return (new ImageData(ArcArray.From(pixels, n, 1, 4, 4)), new ClassData(classes, ["level0", "level1", "level2", "level3"]));
    }
}
