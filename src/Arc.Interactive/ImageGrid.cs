using Arc.Types;

namespace Arc.Interactive;

/// <summary>
/// Images of a batch laid out as one picture: a grid of at most <see cref="MaxImages"/> images, each scaled up to be
/// visible, a grey 1-pixel gap between them. Shown by the notebook as <c>image/png</c>; captions (labels, predictions)
/// go in <see cref="Captions"/> and appear under the picture in HTML.
/// </summary>
public sealed class ImageGrid
{
    /// <summary>The most images one grid shows (the first ones of the batch).</summary>
    public const int MaxImages = 64;

    /// <summary>A grid of the first images of <paramref name="images"/>.</summary>
    /// <param name="images">N×C×H×W, C 1 or 3; float values in 0..1, or bytes.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="captions">One caption per image shown, or null.</param>
    public ImageGrid(ImageData images, int columns = 8, IReadOnlyList<string>? captions = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (images.Channels is not (1 or 3))
            throw new ArgumentException($"an image grid shows 1 (grey) or 3 (RGB) channels, not {images.Channels}", nameof(images));
        Count = Math.Min(images.Count, MaxImages);
        Columns = Math.Min(columns, Math.Max(Count, 1));
        Captions = captions?.Take(Count).ToList() ?? [];
        Png = Render(images, Count, Columns);
    }

    /// <summary>How many images the grid shows.</summary>
    public int Count { get; }

    /// <summary>Images per row.</summary>
    public int Columns { get; }

    /// <summary>The captions, in image order (empty for none).</summary>
    public IReadOnlyList<string> Captions { get; }

    /// <summary>The grid as a PNG file.</summary>
    public byte[] Png { get; }

    private static byte[] Render(ImageData images, int count, int columns)
    {
        int c = images.Channels, h = images.Height, w = images.Width;
        int scale = Math.Max(1, 56 / Math.Max(h, w)); // small images (MNIST's 28, 8×8 digits) become visible
        int rows = (count + columns - 1) / columns;
        int cellH = h * scale + 1, cellW = w * scale + 1;
        int height = Math.Max(1, rows * cellH - 1), width = Math.Max(1, columns * cellW - 1);
        var picture = new byte[height * width * c];
        picture.AsSpan().Fill(128);
        float[] values = Values(images.Pixels);
        for (int i = 0; i < count; i++)
        {
            int top = i / columns * cellH, left = i % columns * cellW;
            for (int y = 0; y < h * scale; y++)
                for (int x = 0; x < w * scale; x++)
                    for (int k = 0; k < c; k++)
                    {
                        float v = values[((i * c + k) * h + y / scale) * w + x / scale];
                        picture[((top + y) * width + left + x) * c + k] = (byte)Math.Clamp(MathF.Round(v * 255f), 0, 255);
                    }
        }
        return PngWriter.Encode(picture, width, height, c);
    }

    // The pixels as 0..1 floats, whatever their element type (bytes are 0..255).
    private static float[] Values(ArcArray pixels) => pixels.DType switch
    {
        ArcDType.Float32 => pixels.ToArray<float>(),
        ArcDType.Float64 => pixels.ToArray<double>().Select(v => (float)v).ToArray(),
        ArcDType.UInt8 => pixels.ToArray<byte>().Select(v => v / 255f).ToArray(),
        var other => throw new ArgumentException($"an image grid shows float32, float64 or uint8 pixels, not {other}", nameof(pixels)),
    };
}
