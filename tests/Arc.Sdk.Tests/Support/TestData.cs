using Arc.Types;

namespace Arc.Sdk.Tests.Support;

/// <summary>Small batches whose samples say who they are: image i is filled with the value i, its class is i mod K.</summary>
internal static class TestData
{
    public static readonly string[] ThreeClasses = ["red", "green", "blue"];

    /// <summary>N 1×2×2 images, image i filled with i, and classes i mod 3.</summary>
    public static Batch<ImageData, ClassData> Numbered(int n)
    {
        var pixels = new float[n * 4];
        var classes = new long[n];
        for (int i = 0; i < n; i++)
        {
            pixels.AsSpan(i * 4, 4).Fill(i);
            classes[i] = i % ThreeClasses.Length;
        }
        return new Batch<ImageData, ClassData>(new ImageData(ArcArray.From(pixels, n, 1, 2, 2)), new ClassData(classes, ThreeClasses));
    }

    /// <summary>The sample number each image of <paramref name="images"/> carries.</summary>
    public static int[] Ids(ImageData images)
    {
        var pixels = images.Pixels.AsSpan<float>();
        var ids = new int[images.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = (int)pixels[i * 4];
        return ids;
    }
}
