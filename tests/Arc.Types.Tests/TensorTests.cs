using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Arc.Torch;
using Arc.Types;

namespace Arc.Types.Tests;

public class TensorTests
{
    private static bool Same(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype) return false;
        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }

    [Fact]
    public void ImageAndVideoKeepShapeDtypeAndValues()
    {
        using var pixels = arange(2 * 3 * 4 * 5, ScalarType.Float32).reshape(2, 3, 4, 5);
        var image = ImageData.FromTensor(pixels);
        Assert.Equal((2, 3, 4, 5), (image.Count, image.Channels, image.Height, image.Width));
        using var back = image.ToTensor();
        Assert.True(Same(back, pixels));

        using var frames = randint(0, 255, new long[] { 2, 3, 1, 4, 4 }, ScalarType.Byte);
        var video = VideoData.FromTensor(frames, 25);
        Assert.Equal(ArcDType.UInt8, video.Frames.DType);
        using var framesBack = video.ToTensor();
        Assert.True(Same(framesBack, frames));
    }

    [Fact]
    public void AudioBecomesFloat32()
    {
        using var samples = linspace(-1, 1, 2 * 1 * 8, ScalarType.Float64).reshape(2, 1, 8);
        var audio = AudioData.FromTensor(samples, 8000);
        Assert.Equal(ArcDType.Float32, audio.Samples.DType);
        Assert.Equal(TimeSpan.FromMilliseconds(1), audio.Duration);
        using var back = audio.ToTensor();
        Assert.Equal(ScalarType.Float32, back.dtype);
        Assert.True(back.allclose(samples.to_type(ScalarType.Float32)));
    }

    [Fact]
    public void ClassFromScoresTakesTheArgmaxAndKeepsTheScores()
    {
        using var scores = tensor(new float[] { 0.1f, 0.7f, 0.2f, 0.9f, 0.05f, 0.05f }).reshape(2, 3);
        var classes = ClassData.FromScores(scores, new[] { "a", "b", "c" });
        Assert.Equal(new long[] { 1, 0 }, classes.IndexSpan.ToArray());
        Assert.Equal(new[] { 2, 3 }, classes.Scores!.ShapeArray());
        using var indices = classes.ToTensor();
        Assert.Equal(ScalarType.Int64, indices.dtype);
        Assert.Equal(new long[] { 1, 0 }, indices.data<long>().ToArray());
    }

    [Fact]
    public void LabelsFromScoresThresholdAndConvertToTensors()
    {
        using var scores = tensor(new float[] { 0.9f, 0.2f, 0.5f, 0.49f, 0.51f, 0f }).reshape(2, 3);
        var labels = LabelData.FromScores(scores, new[] { "x", "y", "z" });
        Assert.Equal(new float[] { 1, 0, 1, 0, 1, 0 }, labels.Labels.ToArray<float>());
        Assert.Equal(new[] { "x", "z" }, labels.NamesOf(0));
        Assert.Equal(new[] { "y" }, labels.NamesOf(1));
        var fromLogits = LabelData.FromScores(scores - 0.5f, new[] { "x", "y", "z" }, threshold: 0);
        Assert.True(labels.ContentEquals(fromLogits));

        using var hot = tensor(new[] { true, false, false, true }).reshape(2, 2);
        var asBool = LabelData.FromTensor(hot, new[] { "p", "q" });
        Assert.Equal(ArcDType.Bool, asBool.Labels.DType);
        Assert.True(asBool.Has(1, 1));
        using var asInt = tensor(new long[] { 1, 0 }).reshape(1, 2);
        Assert.Equal(ArcDType.Float32, LabelData.FromTensor(asInt, new[] { "p", "q" }).Labels.DType);
        using var back = asBool.ToTensor();
        Assert.True(Same(back, hot));
    }

    [Fact]
    public void TableNumericColumnsBecomeAnNxFFloatTensorAndBack()
    {
        var table = Samples.Table();
        using var all = table.ToTensor();
        // Every column but the string one, in table order, as float32.
        Assert.Equal(new long[] { 3, 6 }, all.shape);
        Assert.Equal(ScalarType.Float32, all.dtype);
        Assert.Equal(new float[] { 31, 45, -1 }, all[.., 0].data<float>().ToArray());
        Assert.Equal(new float[] { 1, 0, 1 }, all[.., 2].data<float>().ToArray());

        using var picked = table.ToTensor(columns: new[] { "level", "age" });
        Assert.Equal(new float[] { 0, 31, 128, 45, 255, -1 }, picked.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => table.ToTensor(columns: new[] { "city" }));
        Assert.Throws<KeyNotFoundException>(() => table.ToTensor(columns: new[] { "nope" }));

        using var features = arange(6, ScalarType.Float64).reshape(3, 2);
        var fromTensor = TableData.FromTensor(features, new[] { "f0", "f1" });
        Assert.Equal(new double[] { 0, 2, 4 }, fromTensor["f0"].Values!.ToArray<double>());
        Assert.Equal(new double[] { 1, 3, 5 }, fromTensor["f1"].Values!.ToArray<double>());
        using var roundTrip = fromTensor.ToTensor();
        Assert.True(Same(roundTrip, features.to_type(ScalarType.Float32)));
    }
}
