using MessagePack;

namespace Arc.Types;

/// <summary>A batch of video clips, N×T×C×H×W (float32 normalised or uint8 raw pixels), and their frame rate.</summary>
public sealed class VideoData : IArcData<VideoData>
{
    /// <summary>Wraps frames of shape N×T×C×H×W played at <paramref name="framesPerSecond"/>.</summary>
    public VideoData(ArcArray frames, double framesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Rank != 5)
            throw new ArgumentException($"video is N×T×C×H×W; got shape [{string.Join(", ", frames.ShapeArray())}]", nameof(frames));
        if (!double.IsFinite(framesPerSecond) || framesPerSecond <= 0)
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "the frame rate must be a positive, finite number of frames per second");
        Frames = frames;
        FramesPerSecond = framesPerSecond;
    }

    /// <summary>The frames, N×T×C×H×W.</summary>
    public ArcArray Frames { get; }

    /// <summary>Frames per second (may be fractional, e.g. 29.97).</summary>
    public double FramesPerSecond { get; }

    /// <inheritdoc />
    public int Count => Frames.Rows;

    /// <summary>Frames per clip (T).</summary>
    public int Length => Frames.Shape[1];

    /// <summary>Channels (C).</summary>
    public int Channels => Frames.Shape[2];

    /// <summary>Height (H).</summary>
    public int Height => Frames.Shape[3];

    /// <summary>Width (W).</summary>
    public int Width => Frames.Shape[4];

    /// <inheritdoc />
    public static string WireTag => "video";

    /// <inheritdoc />
    public VideoData Slice(int start, int count) => new(Frames.SliceRows(start, count), FramesPerSecond);

    /// <inheritdoc />
    public VideoData Take(ReadOnlySpan<int> indices) => new(Frames.TakeRows(indices), FramesPerSecond);

    /// <summary>Joins clips along N; all parts must share the frame rate, dtype and T×C×H×W.</summary>
    public static VideoData Concat(IReadOnlyList<VideoData> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(batches));
        double fps = batches[0].FramesPerSecond;
        foreach (var b in batches)
            if (b.FramesPerSecond != fps)
                throw new ArgumentException(FormattableString.Invariant($"cannot concatenate video at {b.FramesPerSecond} fps onto video at {fps} fps"), nameof(batches));
        return new VideoData(ArcArray.ConcatRows(batches.Select(b => b.Frames).ToList()), fps);
    }

    /// <summary>Writes <c>{"arc":"video","v":1,"dtype","shape":[N,T,C,H,W],"data","fps"}</c> (see docs/wire-format.md).</summary>
    public static void WriteWire(ref MessagePackWriter writer, VideoData value)
    {
        WireWriter.WriteHeader(ref writer, WireTag, WireArray.FieldCount + 1);
        WireArray.WriteFields(ref writer, value.Frames);
        writer.Write("fps");
        writer.Write(value.FramesPerSecond);
    }

    /// <inheritdoc />
    public static VideoData ReadWire(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, WireTag, WireTag);
        var frames = new WireArrayFields();
        double? fps = null;
        while (map.NextKey(ref reader, out var key))
        {
            if (frames.TryRead(key, ref reader, map)) continue;
            if (key == "fps") fps = WireReader.ReadNumber(ref reader, map.Path(key));
            else map.SkipValue(ref reader, key);
        }
        var array = frames.Build(map);
        double framesPerSecond = map.Required(fps, "fps");
        return map.Construct(() => new VideoData(array, framesPerSecond));
    }

    /// <summary>True when <paramref name="other"/> holds the same frames at the same frame rate.</summary>
    public bool ContentEquals(VideoData? other)
        => other is not null && FramesPerSecond == other.FramesPerSecond && Frames.ContentEquals(other.Frames);

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"VideoData(N={Count}, T={Length}, C={Channels}, H={Height}, W={Width}, {ArcDTypes.WireName(Frames.DType)}, {FramesPerSecond} fps)");
}
