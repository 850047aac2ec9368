using System.Text.Json;
using Xunit;
using Arc.Types;

namespace Arc.Types.Tests;

public class JsonTests
{
    private static T RoundTrip<T>(T value) where T : class, IArcData<T> => ArcJson.Deserialize<T>(ArcJson.Serialize(value));

    [Fact]
    public void EveryTypeRoundTripsBitForBit()
    {
        Assert.True(Samples.Image().ContentEquals(RoundTrip(Samples.Image())));
        Assert.True(Samples.ImageUInt8().ContentEquals(RoundTrip(Samples.ImageUInt8())));
        Assert.True(Samples.Class().ContentEquals(RoundTrip(Samples.Class())));
        Assert.True(Samples.Class(withScores: false).ContentEquals(RoundTrip(Samples.Class(withScores: false))));
        Assert.True(Samples.Text().ContentEquals(RoundTrip(Samples.Text())));
        Assert.True(Samples.Table().ContentEquals(RoundTrip(Samples.Table())));
        Assert.True(Samples.Audio().ContentEquals(RoundTrip(Samples.Audio())));
        Assert.True(Samples.Video().ContentEquals(RoundTrip(Samples.Video())));
        Assert.True(Samples.Label().ContentEquals(RoundTrip(Samples.Label())));
        Assert.True(Samples.LabelBool().ContentEquals(RoundTrip(Samples.LabelBool())));
    }

    [Fact]
    public void RandomFloatsSurviveTheTextForm()
    {
        var random = new Random(1234);
        var values = new float[2000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            if (float.IsNaN(values[i])) values[i] = float.NaN; // JSON has one NaN; payload bits are not kept (documented)
        }
        var image = new ImageData(ArcArray.From(values, 1, 1, 40, 50));
        Assert.True(image.ContentEquals(ArcJson.Deserialize<ImageData>(ArcJson.SerializeToUtf8Bytes(image))));
    }

    [Fact]
    public void JsonUsesTheWireKeysWithDataAsNumbers()
    {
        var image = new ImageData(ArcArray.From(new float[] { 0.1f, float.NaN, -2f }, 1, 1, 1, 3));
        Assert.Equal("""{"arc":"image","v":1,"dtype":"float32","shape":[1,1,1,3],"data":[0.1,"NaN",-2]}""", ArcJson.Serialize(image));
        var table = new TableData(new[] { TableColumn.FromStrings("s", new[] { "x" }), TableColumn.FromValues("b", new[] { true }) });
        Assert.Equal("""{"arc":"table","v":1,"rows":1,"columns":[{"name":"s","dtype":"string","values":["x"]},{"name":"b","dtype":"bool","shape":[1],"data":[true]}]}""", ArcJson.Serialize(table));
    }

    [Fact]
    public void KeysMayComeInAnyOrderAndUnknownKeysAreIgnored()
    {
        var json = """{"names":["a","b"],"future":{"x":[1,2]},"data":[1,0],"shape":[2],"dtype":"int64","v":1,"arc":"class","scores":null}""";
        var classes = ArcJson.Deserialize<ClassData>(json);
        Assert.Equal(new long[] { 1, 0 }, classes.IndexSpan.ToArray());
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("{", "")]
    [InlineData("null", "null")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("""{"arc":"class","v":1,"dtype":"float32","shape":[1,1,1,1],"data":[1]}""", "expected a value tagged 'image' but the type tag (arc) is 'class'")]
    [InlineData("""{"arc":"image","v":2,"dtype":"float32","shape":[1,1,1,1],"data":[1]}""", "version 2 is not supported")]
    [InlineData("""{"arc":"image","dtype":"float32","shape":[1,1,1,1],"data":[1]}""", "'v' is missing")]
    [InlineData("""{"arc":"image","v":1,"dtype":"float16","shape":[1,1,1,1],"data":[1]}""", "unknown dtype 'float16'")]
    [InlineData("""{"arc":"image","v":1,"dtype":"float32","shape":[1,1,1,2],"data":[1]}""", "needs 2 elements but the data has 1")]
    [InlineData("""{"arc":"image","v":1,"dtype":"float32","shape":[1,1,1,1],"data":["x"]}""", "image.data[0]")]
    [InlineData("""{"arc":"image","v":1,"dtype":"float32","shape":[1,1,1,1],"data":[1e39]}""", "does not fit float32")]
    [InlineData("""{"arc":"image","v":1,"dtype":"uint8","shape":[1,1,1,1],"data":[256]}""", "outside 0..255")]
    [InlineData("""{"arc":"image","v":1,"dtype":"float32","shape":[1,1,-1,1],"data":[1]}""", "image.shape[2]")]
    [InlineData("""{"arc":"image","v":1,"dtype":"float32","shape":[65536,65536,65536,65536],"data":[1]}""", "more elements than one buffer")]
    [InlineData("""{"arc":"image","v":1,"dtype":"float32","shape":[1,1],"data":[1]}""", "N×C×H×W")]
    [InlineData("""{"arc":"image","v":1,"v":1,"dtype":"float32","shape":[1,1,1,1],"data":[1]}""", "appears twice")]
    public void BadJsonIsAnArcFormatExceptionThatSaysWhatIsWrong(string json, string expected)
    {
        var e = Assert.Throws<ArcFormatException>(() => ArcJson.Deserialize<ImageData>(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void DeeplyNestedJsonIsRejectedNotOverflowed()
    {
        var json = """{"arc":"text","v":1,"texts":[],"x":""" + new string('[', 100_000) + new string(']', 100_000) + "}";
        Assert.Throws<ArcFormatException>(() => ArcJson.Deserialize<TextData>(json));
    }

    [Fact]
    public void ValuesEmbedInOrdinaryJsonThroughTheOptions()
    {
        var pair = new Dictionary<string, ClassData> { ["y"] = Samples.Class() };
        var json = JsonSerializer.Serialize(pair, ArcJson.Options);
        var back = JsonSerializer.Deserialize<Dictionary<string, ClassData>>(json, ArcJson.Options)!;
        Assert.True(pair["y"].ContentEquals(back["y"]));
    }
}
