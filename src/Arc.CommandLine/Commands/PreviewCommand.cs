using System.CommandLine;
using Arc.Sdk;
using Arc.Types;
using SkiaSharp;

namespace Arc.CommandLine;

/// <summary><c>preview</c>: a job's split at a glance: size, input shape, class counts, a few samples; with <c>--output</c> a PNG grid of image samples.</summary>
internal sealed class PreviewCommand(CommandLineCatalog catalog, StandardOptions s, ParameterOptions parameters, ParseResult result, CancellationToken stop) : IJobVisitor
{
    private ParameterValues _values = null!;

    public Task<int> RunAsync()
    {
        string? name = result.GetValue(s.Job);
        var job = name is null
            ? (catalog.Jobs.Count == 1 ? catalog.Jobs[0] : throw new CommandLineException("preview needs --job", ArcCommandLineApp.UsageExitCode))
            : catalog.FindJob(name) ?? throw new CommandLineException($"--job: this program has no job '{name}'", ArcCommandLineApp.UsageExitCode);
        string? datasetDir = result.GetValue(s.DatasetDir);
        RunSettings.CheckDatasetDirectory(datasetDir, job);
        _values = parameters.Bind(result, job, datasetDir);
        return job.AcceptAsync(this);
    }

    public async Task<int> VisitAsync<X, Y>(CommandLineJob<X, Y> entry)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        if (!Enum.TryParse<DataSplit>(result.GetValue(s.Split), ignoreCase: true, out var split))
            throw new CommandLineException($"--split: '{result.GetValue(s.Split)}' is not train, validation or test", ArcCommandLineApp.UsageExitCode);
        var job = entry.CreateJob(_values);
        var all = await job.GetSplitAsync(split, stop).ConfigureAwait(false);
        int count = Math.Min(Math.Max(result.GetValue(s.Count), 0), all.Inputs.Count);
        var sample = await job.SampleAsync(count, split, result.GetValue(s.Seed), stop).ConfigureAwait(false);
        Console.WriteLine($"job {job.Name}, split {split}: {all.Inputs.Count} samples, {typeof(X).Name} → {typeof(Y).Name}");
        if (all.Inputs is ImageData images)
            Console.WriteLine($"  images: {images.Channels}×{images.Height}×{images.Width} ({images.Pixels.DType})");
        if (all.Targets is ClassData classes)
        {
            var counts = new long[classes.ClassNames.Count];
            foreach (long i in classes.Indices.ToArray<long>()) counts[i]++;
            Console.WriteLine("  classes: " + string.Join("  ", classes.ClassNames.Select((c, i) => $"{c}: {counts[i]}")));
        }
        if (sample.Targets is ClassData shown)
            Console.WriteLine($"  {count} samples (seed {result.GetValue(s.Seed)}): " + string.Join(" ", shown.Indices.ToArray<long>().Select(i => shown.ClassNames[(int)i])));
        if (result.GetValue(s.Output) is { } output)
        {
            if (sample.Inputs is not ImageData grid)
                throw new CommandLineException("--output writes an image grid, and this job's inputs are not images");
            WriteGrid(grid, output);
            Console.WriteLine($"  grid of {count} images written to {Path.GetFullPath(output)}");
        }
        return 0;
    }

    private static void WriteGrid(ImageData images, string path)
    {
        int n = images.Count, columns = (int)Math.Ceiling(Math.Sqrt(Math.Max(n, 1))), rows = (n + columns - 1) / columns;
        int h = images.Height, w = images.Width, c = images.Channels, scale = Math.Max(1, 96 / Math.Max(h, w));
        var pixels = images.Pixels.ToArray<float>();
        using var bitmap = new SKBitmap(columns * w * scale, Math.Max(rows, 1) * h * scale);
        for (int i = 0; i < n; i++)
            for (int y = 0; y < h * scale; y++)
                for (int x = 0; x < w * scale; x++)
                {
                    int at(int ch) => ((i * c + ch) * h + y / scale) * w + x / scale;
                    byte v(int ch) => (byte)Math.Clamp(pixels[at(Math.Min(ch, c - 1))] * 255f, 0, 255);
                    bitmap.SetPixel((i % columns) * w * scale + x, (i / columns) * h * scale + y, new SKColor(v(0), v(1), v(2)));
                }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
