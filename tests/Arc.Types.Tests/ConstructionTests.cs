using Xunit;
using Arc.Types;

namespace Arc.Types.Tests;

public class ConstructionTests
{
    private static void Fails(Action make, string expected)
        => Assert.Contains(expected, Assert.ThrowsAny<ArgumentException>(make).Message);

    [Fact]
    public void InvalidValuesAreRejectedWithAReason()
    {
        Fails(() => _ = new ImageData(ArcArray.Zeros(ArcDType.Float32, 2, 3)), "N×C×H×W");
        Fails(() => _ = new ClassData(new long[] { 3 }, new[] { "a", "b" }), "class index 3 is outside 0..1");
        Fails(() => _ = new ClassData(ArcArray.From(new[] { 1 }, 1), new[] { "a", "b" }), "int64");
        Fails(() => _ = new ClassData(ArcArray.From(new long[] { 0 }, 1), new[] { "a" }, ArcArray.Zeros(ArcDType.Float64, 1, 1)), "float32");
        Fails(() => _ = new ClassData(ArcArray.From(new long[] { 0 }, 1), new[] { "a" }, ArcArray.Zeros(ArcDType.Float32, 1, 2)), "[N=1, K=1]");
        Fails(() => _ = new TextData(new[] { "a", null! }), "text 1 is null");
        Fails(() => _ = new AudioData(ArcArray.Zeros(ArcDType.Float64, 1, 1, 4), 100), "float32");
        Fails(() => _ = new AudioData(ArcArray.Zeros(ArcDType.Float32, 1, 1, 4), 0), "sample rate");
        Fails(() => _ = new VideoData(ArcArray.Zeros(ArcDType.UInt8, 1, 2, 3, 4), 25), "N×T×C×H×W");
        Fails(() => _ = new VideoData(ArcArray.Zeros(ArcDType.UInt8, 1, 1, 1, 1, 1), double.NaN), "frame rate");
        Fails(() => _ = new LabelData(ArcArray.Zeros(ArcDType.Int64, 1, 2), new[] { "a", "b" }), "float32, uint8 or bool");
        Fails(() => _ = new LabelData(ArcArray.Zeros(ArcDType.Float32, 1, 2), new[] { "a" }), "K=2 columns but 1 names");
        Fails(() => LabelData.FromNameSets(new[] { new[] { "zebra" } }, new[] { "a" }), "'zebra'");
        Fails(() => TableColumn.FromArray("x", ArcArray.Zeros(ArcDType.Float32, 2, 2)), "shape [N]");
        Fails(() => TableColumn.FromStrings("x", new[] { "a", null! }), "null at row 1");
        Fails(() => _ = new TableData(new[] { TableColumn.FromValues("x", new[] { 1 }), TableColumn.FromValues("x", new[] { 2 }) }), "'x' appears twice");
        Fails(() => _ = new TableData(new[] { TableColumn.FromValues("x", new[] { 1 }), TableColumn.FromValues("y", new[] { 2, 3 }) }), "'y' has 2 rows but the table has 1");
        Fails(() => _ = new TableData(new TableColumn[] { null! }), "column 0 is null");
        Fails(() => _ = new TableData(Array.Empty<TableColumn>()), "row count");
    }

    [Fact]
    public void BoolArraysFromBytesMustHoldZeroOrOne()
    {
        var e = Assert.Throws<ArcFormatException>(() => ArcArray.FromBytes(ArcDType.Bool, new[] { 3 }, new byte[] { 1, 0, 2 }));
        Assert.Contains("bool element 2 is 2", e.Message);
    }

    [Fact]
    public void ToStringNamesTheTypeAndShape()
    {
        Assert.Equal("ImageData(N=2, C=1, H=3, W=4, float32)", Samples.Image().ToString());
        Assert.Equal("ClassData(N=4, K=3, scores)", Samples.Class().ToString());
        Assert.Equal("TextData(N=5)", Samples.Text().ToString());
        Assert.Equal("TableData(N=3, columns: age int64, height float64, city string, member bool, score float32, count int32, level uint8)", Samples.Table().ToString());
        Assert.Equal("AudioData(N=2, channels=2, T=5, 16000 Hz)", Samples.Audio().ToString());
        Assert.Equal("VideoData(N=2, T=3, C=1, H=2, W=2, uint8, 29.97 fps)", Samples.Video().ToString());
        Assert.Equal("LabelData(N=3, K=3, float32)", Samples.Label().ToString());
    }
}
