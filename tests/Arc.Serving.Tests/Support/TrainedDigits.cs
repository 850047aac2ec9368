using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Types;
using SkiaSharp;

namespace Arc.Serving.Tests;

/// <summary>
/// One trained <see cref="DigitMlp"/> for all tests (trained once per test process on real MNIST digits and saved as a
/// model directory), and real test digits as the server sees them: 8-bit PNGs, and the same pixels as ImageData
/// (byte / 255), which is exactly what decoding the PNG gives, so the in-process prediction is the one to expect.
/// </summary>
public sealed class TrainedDigits : IAsyncLifetime
{
    public string ModelDir { get; } = Path.Combine(Path.GetTempPath(), $"arc-serving-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public DigitMlp Model { get; private set; } = null!;

    /// <summary>Held-out digits: (PNG bytes, the same pixels as a one-image batch, the true digit).</summary>
    public List<(byte[] Png, ImageData Image, int Digit)> Digits { get; } = [];

    public async ValueTask InitializeAsync()
    {
        var splits = await MnistDigits.LoadAsync(maxPerDigit: 120);
        var hyperparameters = new DigitMlp.Hyperparameters(Hidden: 32, Seed: 7);
        Model = DigitMlp.Create(hyperparameters);
        var (x, y) = (splits.Train.Inputs, splits.Train.Targets);
        for (int epoch = 0; epoch < 8; epoch++)
            for (int start = 0; start < x.Count; start += 64)
            {
                int count = Math.Min(64, x.Count - start);
                Model.Fit(x.Slice(start, count), y.Slice(start, count));
            }
        await ModelDirectory.SaveAsync(ModelDir, new TrainedModelInfo { Model = DigitMlp.Registration.Name, Type = typeof(DigitMlp).FullName!, Job = "mnist digits (test fixture)" },
            DigitMlp.Registration.WriteParameters(hyperparameters), Model);
        for (int i = 0; i < 24; i++)
        {
            var pixels = splits.Test.Inputs.Slice(i, 1).Pixels.AsSpan<float>();
            var bytes = new byte[pixels.Length];
            for (int p = 0; p < bytes.Length; p++) bytes[p] = (byte)Math.Round(Math.Clamp(pixels[p], 0f, 1f) * 255f);
            var image = new ImageData(ArcArray.From(bytes.Select(b => b / 255f).ToArray(), 1, 1, 28, 28));
            Digits.Add((EncodePng(bytes), image, (int)splits.Test.Targets.Slice(i, 1).IndexSpan[0]));
        }
    }

    /// <summary>What the model in this process predicts for <paramref name="image"/>.</summary>
    public int PredictInProcess(ImageData image) => (int)Model.Predict(image).IndexSpan[0];

    public ValueTask DisposeAsync()
    {
        Model?.Dispose();
        if (Directory.Exists(ModelDir)) Directory.Delete(ModelDir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static byte[] EncodePng(byte[] grey)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(grey, 0, bitmap.GetPixels(), grey.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedDigitsCollection : ICollectionFixture<TrainedDigits>
{
    public const string Name = "trained digits";
}
