using System.Globalization;
using Arc.Types;
using SkiaSharp;

namespace Arc.CommandLine;

/// <summary>
/// Turns <c>infer --input</c> files into the model's input type: PNG/JPEG images → <see cref="ImageData"/> (decoded
/// with SkiaSharp, resized to the training input's height and width, grey or RGB by its channels, pixels in 0..1),
/// <c>.txt</c> → <see cref="TextData"/> (one text per line), <c>.csv</c> → <see cref="TableData"/> (<see cref="CsvTable"/>).
/// A folder contributes its files in name order.
/// </summary>
internal static class InputFiles
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    public static List<string> Expand(IReadOnlyList<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                files.AddRange(Directory.GetFiles(input).Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()) || Path.GetExtension(f).ToLowerInvariant() is ".txt" or ".csv")
                    .Order(StringComparer.Ordinal));
            else if (File.Exists(input))
                files.Add(input);
            else
                throw new CommandLineException($"--input: {Path.GetFullPath(input)} does not exist");
        }
        if (files.Count == 0)
            throw new CommandLineException("--input: no PNG, JPEG, .txt or .csv files found in " + string.Join(", ", inputs), ArcCommandLineApp.UsageExitCode);
        return files;
    }

    /// <summary>The files as one batch of <typeparamref name="X"/>, with one name per row.</summary>
    public static (X Batch, List<string> Names) Read<X>(IReadOnlyList<string> files, int[]? inputShape) where X : class, IArcData<X>
    {
        if (typeof(X) == typeof(ImageData))
        {
            if (inputShape is not [int channels, int height, int width])
                throw new CommandLineException("the run's config.json records no image input shape; infer needs a run folder written by train");
            var pixels = new float[files.Count * channels * height * width];
            for (int i = 0; i < files.Count; i++)
                DecodeInto(files[i], channels, height, width, pixels.AsSpan(i * channels * height * width, channels * height * width));
            var array = ArcArray.From(pixels, files.Count, channels, height, width);
            return ((X)(object)new ImageData(array), files.Select(f => Path.GetFileName(f)).ToList());
        }
        if (typeof(X) == typeof(TextData))
        {
            var names = new List<string>();
            var texts = new List<string>();
            foreach (var file in files)
            {
                var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
                texts.AddRange(lines);
                names.AddRange(lines.Select((_, n) => $"{Path.GetFileName(file)}:{(n + 1).ToString(CultureInfo.InvariantCulture)}"));
            }
            return ((X)(object)new TextData(texts), names);
        }
        if (typeof(X) == typeof(TableData))
        {
            foreach (var file in files.Where(f => !Path.GetExtension(f).Equals(".csv", StringComparison.OrdinalIgnoreCase)))
                throw new CommandLineException($"--input: {file} is not a .csv file, which this model (it takes tables) needs");
            var (table, names) = CsvTable.Read(files);
            return ((X)(object)table, names);
        }
        throw new CommandLineException($"infer reads images, text and CSV tables; this model takes {typeof(X).Name}");
    }

    private static void DecodeInto(string file, int channels, int height, int width, Span<float> target)
    {
        if (!ImageExtensions.Contains(Path.GetExtension(file).ToLowerInvariant()))
            throw new CommandLineException($"--input: {file} is not a PNG or JPEG image, which this model needs");
        using var decoded = SKBitmap.Decode(file)
            ?? throw new CommandLineException($"--input: {file} cannot be decoded as an image");
        using var resized = decoded.Width == width && decoded.Height == height
            ? decoded.Copy(SKColorType.Rgba8888)
            : decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var c = resized.GetPixel(x, y);
                if (channels == 1)
                    target[y * width + x] = (0.299f * c.Red + 0.587f * c.Green + 0.114f * c.Blue) / 255f;
                else
                    for (int ch = 0; ch < channels; ch++)
                        target[(ch * height + y) * width + x] = (ch switch { 0 => c.Red, 1 => c.Green, _ => c.Blue }) / 255f;
            }
    }
}
