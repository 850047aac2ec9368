using SkiaSharp;
using Arc.Types;

namespace Arc.Samples.FashionMnist;

/// <summary>
/// Raw images as PNG files, the way new data arrives at prediction time: written from the test set's bytes (grey, 8 bits)
/// and read back into raw units (uint8, N×1×H×W) for the processor to normalise. SkiaSharp encodes and decodes them, as
/// the generated command line's <c>infer</c> does.
/// </summary>
public static class PngFiles
{
    /// <summary>Writes images <c>[0, count)</c> of <paramref name="pixels"/> (N×side×side bytes) as <c>NNNNN-label-L.png</c> into <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> Write(string folder, byte[] pixels, byte[] labels, int count, int side)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque));
            var span = bitmap.GetPixelSpan();
            pixels.AsSpan(i * side * side, side * side).CopyTo(span);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            string path = Path.Combine(folder, $"{i:D5}-label-{labels[i]}.png");
            using (var file = File.Create(path)) data.SaveTo(file);
            files.Add(path);
        }
        return files;
    }

    /// <summary>Reads the PNG files, each <paramref name="side"/>×<paramref name="side"/>, as one batch of grey raw pixels (0..255, uint8).</summary>
    /// <exception cref="InvalidDataException">A file is not a PNG of that size.</exception>
    public static ImageData Read(IReadOnlyList<string> files, int side)
    {
        var pixels = new byte[files.Count * side * side];
        for (int i = 0; i < files.Count; i++)
        {
            using var decoded = SKBitmap.Decode(files[i]) ?? throw new InvalidDataException($"{files[i]} cannot be decoded as an image");
            if (decoded.Width != side || decoded.Height != side)
                throw new InvalidDataException($"{files[i]} is {decoded.Width}×{decoded.Height} pixels, not {side}×{side}");
            using var grey = decoded.ColorType == SKColorType.Gray8 ? decoded.Copy() : decoded.Copy(SKColorType.Gray8);
            grey.GetPixelSpan().CopyTo(pixels.AsSpan(i * side * side, side * side));
        }
        return new ImageData(ArcArray.From(pixels, files.Count, 1, side, side));
    }

    /// <summary>The label a file name written by <see cref="Write"/> carries.</summary>
    public static string LabelOf(string file)
    {
        string name = Path.GetFileNameWithoutExtension(file);
        int at = name.LastIndexOf("-label-", StringComparison.Ordinal);
        return at >= 0 ? name[(at + "-label-".Length)..] : throw new FormatException($"{file} does not name its label (NNNNN-label-L.png)");
    }
}
