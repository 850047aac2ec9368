using Xunit;
using Arc.Types;

namespace Arc.Types.Tests;

/// <summary>Slice, Take and Concat of every type: Concat(Slice(0,k), Slice(k,n-k)) is the original, Take reorders.</summary>
public class BatchTests
{
    private static void SplitAndJoin<T>(T value, Func<T, T, bool> same) where T : IArcData<T>
    {
        for (int k = 0; k <= value.Count; k++)
        {
            var joined = T.Concat(new[] { value.Slice(0, k), value.Slice(k, value.Count - k) });
            Assert.True(same(value, joined), $"{typeof(T).Name} split at {k}");
        }
        var reversed = Enumerable.Range(0, value.Count).Reverse().ToArray();
        Assert.True(same(value, value.Take(reversed).Take(reversed)));
        Assert.Equal(value.Count * 2, T.Concat(new[] { value, value }).Count);
        Assert.ThrowsAny<ArgumentException>(() => value.Slice(1, value.Count));
        Assert.ThrowsAny<ArgumentException>(() => value.Take(new[] { value.Count }));
        Assert.ThrowsAny<ArgumentException>(() => T.Concat(Array.Empty<T>()));
    }

    [Fact]
    public void EveryTypeSplitsAndJoinsBackToTheSameBatch()
    {
        SplitAndJoin(Samples.Image(), (a, b) => a.ContentEquals(b));
        SplitAndJoin(Samples.Class(), (a, b) => a.ContentEquals(b));
        SplitAndJoin(Samples.Text(), (a, b) => a.ContentEquals(b));
        SplitAndJoin(Samples.Table(), (a, b) => a.ContentEquals(b));
        SplitAndJoin(Samples.Audio(), (a, b) => a.ContentEquals(b));
        SplitAndJoin(Samples.Video(), (a, b) => a.ContentEquals(b));
        SplitAndJoin(Samples.Label(), (a, b) => a.ContentEquals(b));
    }

    [Fact]
    public void TakeGathersRowsInOrder()
    {
        var text = Samples.Text().Take(new[] { 3, 0, 3 });
        Assert.Equal(new[] { "日本語のテキスト", "hello", "日本語のテキスト" }, text.Texts);
        var table = Samples.Table().Take(new[] { 2, 0 });
        Assert.Equal(new[] { "Lyon", "Zürich" }, table["city"].Strings);
        Assert.Equal(new long[] { -1, 31 }, table["age"].Values!.ToArray<long>());
        var labels = Samples.Label().Take(new[] { 1 });
        Assert.Equal(new[] { "green", "blue" }, labels.NamesOf(0));
    }

    [Fact]
    public void IncompatibleBatchesDoNotConcatenate()
    {
        Assert.Contains("row shape", Assert.Throws<ArgumentException>(() => ImageData.Concat(new[] { Samples.Image(h: 3), Samples.Image(h: 4) })).Message);
        Assert.Contains("cannot concatenate uint8 onto float32", Assert.Throws<ArgumentException>(() => ImageData.Concat(new[] { Samples.Image(c: 3, h: 2, w: 2), Samples.ImageUInt8() })).Message);
        var otherNames = new ClassData(new long[] { 0 }, new[] { "x" });
        Assert.Contains("different class names", Assert.Throws<ArgumentException>(() => ClassData.Concat(new[] { Samples.Class(), otherNames })).Message);
        var slowAudio = new AudioData(Samples.Audio().Samples, 8000);
        Assert.Contains("8000 Hz onto audio at 16000 Hz", Assert.Throws<ArgumentException>(() => AudioData.Concat(new[] { Samples.Audio(), slowAudio })).Message);
        var fastVideo = new VideoData(Samples.Video().Frames, 60);
        Assert.Contains("60 fps", Assert.Throws<ArgumentException>(() => VideoData.Concat(new[] { Samples.Video(), fastVideo })).Message);
        Assert.Contains("different label names", Assert.Throws<ArgumentException>(() => LabelData.Concat(new[] { Samples.Label(), Samples.LabelBool() })).Message);
        var renamed = new TableData(new[] { TableColumn.FromValues("other", new long[] { 1, 2, 3 }) });
        Assert.Contains("columns [other]", Assert.Throws<ArgumentException>(() => TableData.Concat(new[] { Samples.Table(), renamed })).Message);
        var a = new TableData(new[] { TableColumn.FromValues("x", new long[] { 1 }) });
        var b = new TableData(new[] { TableColumn.FromStrings("x", new[] { "1" }) });
        Assert.Contains("int64 in one table and string in another", Assert.Throws<ArgumentException>(() => TableData.Concat(new[] { a, b })).Message);
    }

    [Fact]
    public void ConcatOfClassesKeepsScoresOnlyWhenEveryPartHasThem()
    {
        var both = ClassData.Concat(new[] { Samples.Class(), Samples.Class() });
        Assert.Equal(new[] { 8, 3 }, both.Scores!.ShapeArray());
        Assert.Null(ClassData.Concat(new[] { Samples.Class(), Samples.Class(withScores: false) }).Scores);
    }
}
