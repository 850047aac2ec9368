using Arc.Types;

namespace Arc.Types.Tests;

/// <summary>Small values of every data type with awkward contents: NaN, -0, subnormals, extremes, non-ASCII text.</summary>
internal static class Samples
{
    public static readonly float[] AwkwardFloats =
    {
        0f, -0f, 1f, -1.5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity,
        float.Epsilon, float.MaxValue, float.MinValue, 0.1f, 1e-30f, 3.14159274f, 16777217f,
    };

    public static ImageData Image(int n = 2, int c = 1, int h = 3, int w = 4)
    {
        var data = new float[n * c * h * w];
        for (int i = 0; i < data.Length; i++) data[i] = i < AwkwardFloats.Length ? AwkwardFloats[i] : i * 0.25f - 3f;
        return new ImageData(ArcArray.From(data, n, c, h, w));
    }

    public static ImageData ImageUInt8(int n = 3) =>
        new(ArcArray.From(Enumerable.Range(0, n * 3 * 2 * 2).Select(i => (byte)(i * 37)).ToArray(), n, 3, 2, 2));

    public static ClassData Class(bool withScores = true)
    {
        var names = new[] { "cat", "dog", "ünïcødé 🐟" };
        var indices = ArcArray.From(new long[] { 2, 0, 1, 2 }, 4);
        var scores = withScores ? ArcArray.From(Enumerable.Range(0, 12).Select(i => i / 7f).ToArray(), 4, 3) : null;
        return new ClassData(indices, names, scores);
    }

    public static TextData Text() => new("hello", "", "naïve café", "日本語のテキスト", "line\nbreak \"quoted\" \\ tab\t");

    public static TableData Table() => new(new[]
    {
        TableColumn.FromValues("age", new long[] { 31, 45, -1 }),
        TableColumn.FromValues("height", new double[] { 1.75, double.NaN, -0.0 }),
        TableColumn.FromStrings("city", new[] { "Zürich", "", "Lyon" }),
        TableColumn.FromValues("member", new[] { true, false, true }),
        TableColumn.FromValues("score", new float[] { 0.5f, float.Epsilon, 2f }),
        TableColumn.FromValues("count", new[] { 7, int.MinValue, int.MaxValue }),
        TableColumn.FromValues("level", new byte[] { 0, 128, 255 }),
    });

    public static AudioData Audio(int n = 2) =>
        new(ArcArray.From(Enumerable.Range(0, n * 2 * 5).Select(i => MathF.Sin(i)).ToArray(), n, 2, 5), 16000);

    public static VideoData Video(int n = 2) =>
        new(ArcArray.From(Enumerable.Range(0, n * 3 * 1 * 2 * 2).Select(i => (byte)i).ToArray(), n, 3, 1, 2, 2), 29.97);

    public static LabelData Label() =>
        LabelData.FromNameSets(new[] { new[] { "red" }, new[] { "green", "blue" }, Array.Empty<string>() }, new[] { "red", "green", "blue" });

    public static LabelData LabelBool() =>
        new(ArcArray.From(new[] { true, false, false, true }, 2, 2), new[] { "a", "b" });

    /// <summary>Wire payloads of every type, for the hostile-input tests.</summary>
    public static IEnumerable<(string Name, byte[] Bytes, Func<byte[], object> Read)> AllPayloads()
    {
        yield return ("image", ArcWire.Serialize(Image()), b => ArcWire.Deserialize<ImageData>(b));
        yield return ("class", ArcWire.Serialize(Class()), b => ArcWire.Deserialize<ClassData>(b));
        yield return ("class-noscores", ArcWire.Serialize(Class(withScores: false)), b => ArcWire.Deserialize<ClassData>(b));
        yield return ("text", ArcWire.Serialize(Text()), b => ArcWire.Deserialize<TextData>(b));
        yield return ("table", ArcWire.Serialize(Table()), b => ArcWire.Deserialize<TableData>(b));
        yield return ("audio", ArcWire.Serialize(Audio()), b => ArcWire.Deserialize<AudioData>(b));
        yield return ("video", ArcWire.Serialize(Video()), b => ArcWire.Deserialize<VideoData>(b));
        yield return ("label", ArcWire.Serialize(Label()), b => ArcWire.Deserialize<LabelData>(b));
        yield return ("label-bool", ArcWire.Serialize(LabelBool()), b => ArcWire.Deserialize<LabelData>(b));
    }
}
