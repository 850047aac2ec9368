using System.Buffers;
using MessagePack;
using Xunit;
using Arc.Types;

namespace Arc.Types.Tests;

public class WireRoundTripTests
{
    private static T RoundTrip<T>(T value) where T : IArcData<T> => ArcWire.Deserialize<T>(ArcWire.Serialize(value));

    [Fact]
    public void ImageKeepsEveryBitIncludingNaNAndNegativeZero()
    {
        var image = Samples.Image();
        var back = RoundTrip(image);
        Assert.True(image.ContentEquals(back));
        Assert.Equal(new[] { 2, 1, 3, 4 }, back.Pixels.ShapeArray());
        Assert.True(float.IsNaN(back.Pixels.AsSpan<float>()[4]));
        Assert.True(float.IsNegative(back.Pixels.AsSpan<float>()[1]));
        Assert.True(Samples.ImageUInt8().ContentEquals(RoundTrip(Samples.ImageUInt8())));
    }

    [Fact]
    public void ClassKeepsIndicesNamesAndOptionalScores()
    {
        var withScores = RoundTrip(Samples.Class());
        Assert.True(Samples.Class().ContentEquals(withScores));
        Assert.Equal(new long[] { 2, 0, 1, 2 }, withScores.IndexSpan.ToArray());
        Assert.Equal("ünïcødé 🐟", withScores.ClassNames[2]);
        Assert.NotNull(withScores.Scores);
        var without = RoundTrip(Samples.Class(withScores: false));
        Assert.Null(without.Scores);
        Assert.True(Samples.Class(withScores: false).ContentEquals(without));
    }

    [Fact]
    public void TextTableAudioVideoAndLabelRoundTrip()
    {
        Assert.True(Samples.Text().ContentEquals(RoundTrip(Samples.Text())));
        var table = RoundTrip(Samples.Table());
        Assert.True(Samples.Table().ContentEquals(table));
        Assert.Equal("Zürich", table["city"].Strings![0]);
        Assert.Equal(ArcDType.Bool, table["member"].Values!.DType);
        var audio = RoundTrip(Samples.Audio());
        Assert.True(Samples.Audio().ContentEquals(audio));
        Assert.Equal(16000, audio.SampleRate);
        var video = RoundTrip(Samples.Video());
        Assert.True(Samples.Video().ContentEquals(video));
        Assert.Equal(29.97, video.FramesPerSecond);
        Assert.True(Samples.Label().ContentEquals(RoundTrip(Samples.Label())));
        Assert.True(Samples.LabelBool().ContentEquals(RoundTrip(Samples.LabelBool())));
    }

    [Fact]
    public void EmptyBatchesRoundTrip()
    {
        var image = new ImageData(ArcArray.Zeros(ArcDType.Float32, 0, 3, 8, 8));
        Assert.True(image.ContentEquals(RoundTrip(image)));
        Assert.Equal(0, RoundTrip(new TextData()).Count);
        var noColumns = new TableData(5, Array.Empty<TableColumn>());
        Assert.Equal(5, RoundTrip(noColumns).Count);
    }

    [Fact]
    public void LargeValuesAndManySmallPiecesRoundTrip()
    {
        // One big bin (the pooled buffer grows once) and many small strings (it grows step by step).
        var random = new Random(3);
        var pixels = new float[8 * 3 * 64 * 64];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)random.NextDouble();
        var image = new ImageData(ArcArray.From(pixels, 8, 3, 64, 64));
        Assert.True(image.ContentEquals(RoundTrip(image)));
        var text = new TextData(Enumerable.Range(0, 20_000).Select(i => $"sample {i} ✓").ToArray());
        Assert.True(text.ContentEquals(RoundTrip(text)));
    }

    [Fact]
    public void ImagePayloadIsTheByteExampleInTheDocs()
    {
        var image = new ImageData(ArcArray.From(new float[] { 1f, -2f }, 1, 1, 1, 2));
        var documented = Convert.FromHexString(
            "85a3617263a5696d616765a17601a56474797065a7666c6f61743332a573" +
            "686170659401010102a464617461c4080000803f000000c0");
        Assert.Equal(documented, ArcWire.Serialize(image));

        // The error message example in the docs: the same payload with one data byte missing.
        var shortData = documented.AsSpan(0, 44).ToArray().Concat(new byte[] { 0xc4, 0x07, 0, 0, 0x80, 0x3f, 0, 0, 0 }).ToArray();
        var e = Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<ImageData>(shortData));
        Assert.Equal("malformed 'image' (53 bytes, stopped at byte 53): image.data: shape [1, 1, 1, 2] of float32 needs 8 bytes but the buffer has 7", e.Message);
    }

    [Fact]
    public void ReadersAcceptKeysInAnyOrderAndSkipUnknownKeys()
    {
        var bytes = Payload.Build((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(8);
            w.Write("future"); w.WriteMapHeader(1); w.Write("nested"); w.WriteArrayHeader(2); w.Write(1.5); w.WriteNil();
            w.Write("names"); w.WriteArrayHeader(2); w.Write("no"); w.Write("yes");
            w.Write("data"); w.Write(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
            w.Write("scores"); w.WriteNil();
            w.Write("shape"); w.WriteArrayHeader(1); w.Write(2);
            w.Write("v"); w.Write(1);
            w.Write("dtype"); w.Write("int64");
            w.Write("arc"); w.Write("class");
        });
        var classes = ArcWire.Deserialize<ClassData>(bytes);
        Assert.Equal(new long[] { 1, 0 }, classes.IndexSpan.ToArray());
        Assert.Equal(new[] { "no", "yes" }, classes.ClassNames);
        Assert.Null(classes.Scores);
    }

    [Fact]
    public void BufferWriterAndMultiSegmentSequenceGiveTheSameBytesAndValue()
    {
        var table = Samples.Table();
        var buffer = new ArrayBufferWriter<byte>();
        ArcWire.Serialize(buffer, table);
        var bytes = ArcWire.Serialize(table);
        Assert.Equal(bytes, buffer.WrittenSpan.ToArray());

        // Split the payload into 7-byte segments so every header and bin straddles segment boundaries.
        var sequence = Segments.Split(bytes, 7);
        Assert.False(sequence.IsSingleSegment);
        Assert.True(table.ContentEquals(ArcWire.Deserialize<TableData>(sequence)));
    }

    [Fact]
    public void ResolverCarriesArcValuesInsideOrdinaryMessagePackMessages()
    {
        var batch = new List<ImageData> { Samples.Image(), Samples.Image(1) };
        var bytes = MessagePackSerializer.Serialize(batch, ArcWire.Options, TestContext.Current.CancellationToken);
        var back = MessagePackSerializer.Deserialize<List<ImageData>>(bytes, ArcWire.Options, TestContext.Current.CancellationToken);
        Assert.Equal(2, back.Count);
        Assert.True(batch[0].ContentEquals(back[0]));
        Assert.True(batch[1].ContentEquals(back[1]));
        Assert.Null(MessagePackSerializer.Deserialize<ClassData?>(MessagePackSerializer.Serialize<ClassData?>(null, ArcWire.Options, TestContext.Current.CancellationToken), ArcWire.Options, TestContext.Current.CancellationToken));
        foreach (var type in new[] { typeof(ImageData), typeof(TextData), typeof(TableData), typeof(AudioData), typeof(VideoData), typeof(ClassData), typeof(LabelData) })
            Assert.True(ArcResolver.IsRegistered(type), type.Name);
    }

    [Fact]
    public void OptionsUseTheUntrustedDataProfileAndAnExplicitResolver()
    {
        Assert.Same(MessagePackSecurity.UntrustedData, ArcWire.Options.Security);
        Assert.Same(ArcDataFormatter<LabelData>.Instance, ArcResolver.Instance.GetFormatter<LabelData>());
        Assert.Null(ArcResolver.Instance.GetFormatter<string>());
    }
}

internal static class Segments
{
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }

    public static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        Segment first = new(bytes.AsMemory(0, Math.Min(size, bytes.Length)), null), last = first;
        for (int at = size; at < bytes.Length; at += size)
            last = new Segment(bytes.AsMemory(at, Math.Min(size, bytes.Length - at)), last);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
