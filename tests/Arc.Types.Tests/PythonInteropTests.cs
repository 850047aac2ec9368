using System.Diagnostics;
using System.Text.Json;
using Xunit;
using Arc.Types;

namespace Arc.Types.Tests;

/// <summary>
/// The wire form is readable and writable by a program that knows only msgpack and docs/wire-format.md: Debian's
/// /usr/bin/python3 with python3-msgpack decodes what C# wrote and encodes new values that C# reads.
/// </summary>
public class PythonInteropTests
{
    private const string Python = "/usr/bin/python3";

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Python} {string.Join(' ', args)} did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static void RequirePythonMsgpack()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3 and python3-msgpack (apt-get install -y python3 python3-msgpack)");
        var (code, output) = Run("-c", "import msgpack");
        Assert.True(code == 0, $"{Python} cannot import msgpack: install the Debian package python3-msgpack (apt-get install -y python3-msgpack).\n{output}");
    }

    [Fact]
    public void PythonDecodesWhatCSharpWroteAndCSharpDecodesWhatPythonWrote()
    {
        RequirePythonMsgpack();
        var dir = Directory.CreateTempSubdirectory("arc-wire-python-").FullName;
        try
        {
            var image = new ImageData(ArcArray.From(new float[] { 0.1f, -2.5f, 3e-8f, 1e30f, -0f, 7f }, 2, 1, 1, 3));
            var classes = new ClassData(ArcArray.From(new long[] { 1, 0, 1 }, 3), new[] { "left", "ríght" },
                ArcArray.From(new float[] { 0.25f, 0.75f, 0.9f, 0.1f, 0.4f, 0.6f }, 3, 2));
            var text = new TextData("plain", "", "ünïcødé 🐟", "two\nlines");
            var table = new TableData(new[]
            {
                TableColumn.FromValues("n", new long[] { 5, -6 }),
                TableColumn.FromStrings("word", new[] { "α", "β" }),
                TableColumn.FromValues("flag", new[] { false, true }),
                TableColumn.FromValues("x", new double[] { 0.1, 1e300 }),
            });
            var labels = LabelData.FromNameSets(new[] { new[] { "b" }, new[] { "a", "c" } }, new[] { "a", "b", "c" });
            var audio = Samples.Audio();
            var video = Samples.Video();
            File.WriteAllBytes(Path.Combine(dir, "cs_image.msgpack"), ArcWire.Serialize(image));
            File.WriteAllBytes(Path.Combine(dir, "cs_class.msgpack"), ArcWire.Serialize(classes));
            File.WriteAllBytes(Path.Combine(dir, "cs_text.msgpack"), ArcWire.Serialize(text));
            File.WriteAllBytes(Path.Combine(dir, "cs_table.msgpack"), ArcWire.Serialize(table));
            File.WriteAllBytes(Path.Combine(dir, "cs_label.msgpack"), ArcWire.Serialize(labels));
            File.WriteAllBytes(Path.Combine(dir, "cs_audio.msgpack"), ArcWire.Serialize(audio));
            File.WriteAllBytes(Path.Combine(dir, "cs_video.msgpack"), ArcWire.Serialize(video));

            var (code, output) = Run(RepoPaths.PythonScript, dir);
            Assert.True(code == 0, $"arc_wire.py failed:\n{output}");

            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            var root = summary.RootElement;
            CheckArray(root.GetProperty("cs_image.msgpack"), "float32", image.Pixels.ShapeArray(), image.Pixels.ToArray<float>().Select(x => (double)x));
            var c = root.GetProperty("cs_class.msgpack");
            CheckArray(c, "int64", new[] { 3 }, new double[] { 1, 0, 1 });
            Assert.Equal(classes.ClassNames, Strings(c.GetProperty("names")));
            CheckArray(c.GetProperty("scores"), "float32", new[] { 3, 2 }, classes.Scores!.ToArray<float>().Select(x => (double)x));
            Assert.Equal(text.Texts, Strings(root.GetProperty("cs_text.msgpack").GetProperty("texts")));
            var t = root.GetProperty("cs_table.msgpack");
            Assert.Equal(2, t.GetProperty("rows").GetInt32());
            var columns = t.GetProperty("columns").EnumerateArray().ToArray();
            Assert.Equal(new[] { "n", "word", "flag", "x" }, columns.Select(col => col.GetProperty("name").GetString()));
            CheckArray(columns[0], "int64", new[] { 2 }, new double[] { 5, -6 });
            Assert.Equal(new[] { "α", "β" }, Strings(columns[1].GetProperty("values")));
            CheckArray(columns[2], "bool", new[] { 2 }, new double[] { 0, 1 });
            CheckArray(columns[3], "float64", new[] { 2 }, new[] { 0.1, 1e300 });
            var l = root.GetProperty("cs_label.msgpack");
            Assert.Equal(new[] { new[] { "b" }, new[] { "a", "c" } }, l.GetProperty("sets").EnumerateArray().Select(Strings).ToArray());
            var a = root.GetProperty("cs_audio.msgpack");
            CheckArray(a, "float32", new[] { 2, 2, 5 }, audio.Samples.ToArray<float>().Select(x => (double)x));
            Assert.Equal(16000, a.GetProperty("rate").GetInt32());
            var v = root.GetProperty("cs_video.msgpack");
            CheckArray(v, "uint8", new[] { 2, 3, 1, 2, 2 }, video.Frames.ToArray<byte>().Select(x => (double)x));
            Assert.Equal(29.97, v.GetProperty("fps").GetDouble());

            // Values Python encoded from scratch, checked against the same numbers computed here.
            var pyImage = ArcWire.Deserialize<ImageData>(File.ReadAllBytes(Path.Combine(dir, "py_image.msgpack")));
            Assert.Equal(new[] { 2, 1, 2, 3 }, pyImage.Pixels.ShapeArray());
            Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 0.5f - 1), pyImage.Pixels.ToArray<float>());
            var pyClass = ArcWire.Deserialize<ClassData>(File.ReadAllBytes(Path.Combine(dir, "py_class.msgpack")));
            Assert.Equal(new long[] { 2, 0, 1 }, pyClass.IndexSpan.ToArray());
            Assert.Equal(new[] { "ant", "bee", "cow" }, pyClass.ClassNames);
            Assert.Equal(Enumerable.Range(0, 9).Select(i => i / 8f), pyClass.Scores!.ToArray<float>());
            var pyText = ArcWire.Deserialize<TextData>(File.ReadAllBytes(Path.Combine(dir, "py_text.msgpack")));
            Assert.Equal(new[] { "π ≈ 3.14159", "", "multi\nline" }, pyText.Texts);
            var pyTable = ArcWire.Deserialize<TableData>(File.ReadAllBytes(Path.Combine(dir, "py_table.msgpack")));
            Assert.Equal(3, pyTable.Count);
            Assert.Equal(new long[] { 10, 20, 30 }, pyTable["id"].Values!.ToArray<long>());
            Assert.Equal(new[] { 0.5, 1.25, -2.0 }, pyTable["weight"].Values!.ToArray<double>());
            Assert.Equal(new[] { "a", "b", "c" }, pyTable["name"].Strings);
            Assert.Equal(new[] { true, false, true }, pyTable["ok"].Values!.ToArray<bool>());
            var pyLabel = ArcWire.Deserialize<LabelData>(File.ReadAllBytes(Path.Combine(dir, "py_label.msgpack")));
            Assert.Equal(ArcDType.UInt8, pyLabel.Labels.DType);
            Assert.Equal(new[] { "x", "z" }, pyLabel.NamesOf(0));
            Assert.Equal(new[] { "y" }, pyLabel.NamesOf(1));
            var pyAudio = ArcWire.Deserialize<AudioData>(File.ReadAllBytes(Path.Combine(dir, "py_audio.msgpack")));
            Assert.Equal(22050, pyAudio.SampleRate);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => i / 4f), pyAudio.Samples.ToArray<float>());
            var pyVideo = ArcWire.Deserialize<VideoData>(File.ReadAllBytes(Path.Combine(dir, "py_video.msgpack")));
            Assert.Equal(12.5, pyVideo.FramesPerSecond);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (byte)i), pyVideo.Frames.ToArray<byte>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheDocumentsPythonExampleIsTheTestedScript()
    {
        var doc = File.ReadAllText(RepoPaths.WireFormatDoc).ReplaceLineEndings("\n");
        const string marker = "<!-- begin arc_wire.py -->";
        int start = doc.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/wire-format.md lacks the marker {marker}");
        int open = doc.IndexOf("```python\n", start, StringComparison.Ordinal) + "```python\n".Length;
        int close = doc.IndexOf("\n```", open, StringComparison.Ordinal);
        var inDoc = doc[open..close].TrimEnd();
        var script = File.ReadAllText(RepoPaths.PythonScript).ReplaceLineEndings("\n").TrimEnd();
        Assert.Equal(script, inDoc);
    }

    private static void CheckArray(JsonElement summary, string dtype, int[] shape, IEnumerable<double> values)
    {
        Assert.Equal(dtype, summary.GetProperty("dtype").GetString());
        Assert.Equal(shape, summary.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var expected = values.ToArray();
        Assert.Equal(expected, summary.GetProperty("values").EnumerateArray().Select(x => x.GetDouble()));
        double sum = 0;
        foreach (var x in expected) sum += x; // the same order and precision as Python's sum()
        Assert.Equal(sum, summary.GetProperty("sum").GetDouble());
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
