using Arc.Datasets;
using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Models.Tests;

/// <summary>Small generated image datasets (28×28, one channel, ten classes) and models for the publishing tests.</summary>
internal static class SmallData
{
    /// <summary><paramref name="count"/> images whose pixels are uniform in [low, high), labels cycling 0..9.</summary>
    public static Batch<ImageData, ClassData> Images(int count, int seed, float low = 0, float high = 1, IReadOnlyList<string>? names = null)
    {
        var random = new Random(seed);
        var pixels = new float[count * MnistDigits.PixelsPerImage];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = low + (float)random.NextDouble() * (high - low);
        var labels = Enumerable.Range(0, count).Select(i => (long)(i % 10)).ToArray();
        return new(new ImageData(ArcArray.From(pixels, count, 1, MnistDigits.Side, MnistDigits.Side)), new ClassData(labels, names ?? MnistDigits.ClassNames));
    }

    /// <summary>Publishes a train split of 64 and a test split of 32 generated images as <paramref name="name"/>:v1 and opens it.</summary>
    public static async Task<DatasetVersion<ImageData, ClassData>> PublishAsync(string destination, string name, int seed, IDatasetProcessor? processor = null,
        IReadOnlyList<string>? names = null)
    {
        var builder = new DatasetBuilder<ImageData, ClassData>(name)
            .AddSplit(DataSplit.Train, Images(64, seed, names: names))
            .AddSplit(DataSplit.Test, Images(32, seed + 1, names: names));
        if (processor is not null) builder.WithProcessor(processor);
        var published = await builder.PublishAsync(destination, "v1");
        return await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path);
    }

    /// <summary>The MNIST sample's CNN, small, with seeded initial weights.</summary>
    public static ConvClassifier Model(int seed, int channels = 2) => ConvClassifier.Create(new ConvClassifier.Hyperparameters(Channels: channels, Seed: seed));
}
