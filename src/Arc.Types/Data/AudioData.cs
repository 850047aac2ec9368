using MessagePack;

namespace Arc.Types;

/// <summary>A batch of audio clips: float32 samples N×Channels×T and the sample rate they were recorded at.</summary>
public sealed class AudioData : IArcData<AudioData>
{
    /// <summary>Wraps float32 samples of shape N×C×T recorded at <paramref name="sampleRate"/> Hz.</summary>
    public AudioData(ArcArray samples, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Rank != 3 || samples.DType != ArcDType.Float32)
            throw new ArgumentException($"audio samples are float32 N×Channels×T; got {samples}", nameof(samples));
        if (sampleRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "the sample rate must be a positive number of samples per second");
        Samples = samples;
        SampleRate = sampleRate;
    }

    /// <summary>The samples, float32 N×C×T.</summary>
    public ArcArray Samples { get; }

    /// <summary>Samples per second per channel.</summary>
    public int SampleRate { get; }

    /// <inheritdoc />
    public int Count => Samples.Rows;

    /// <summary>Channels (C).</summary>
    public int Channels => Samples.Shape[1];

    /// <summary>Samples per channel in each clip (T).</summary>
    public int Length => Samples.Shape[2];

    /// <summary>Length of each clip in time.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Length / SampleRate);

    /// <inheritdoc />
    public static string WireTag => "audio";

    /// <inheritdoc />
    public AudioData Slice(int start, int count) => new(Samples.SliceRows(start, count), SampleRate);

    /// <inheritdoc />
    public AudioData Take(ReadOnlySpan<int> indices) => new(Samples.TakeRows(indices), SampleRate);

    /// <summary>Joins clips along N; all parts must share the sample rate, channel count and length.</summary>
    public static AudioData Concat(IReadOnlyList<AudioData> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(batches));
        int rate = batches[0].SampleRate;
        foreach (var b in batches)
            if (b.SampleRate != rate)
                throw new ArgumentException($"cannot concatenate audio at {b.SampleRate} Hz onto audio at {rate} Hz; resample first", nameof(batches));
        return new AudioData(ArcArray.ConcatRows(batches.Select(b => b.Samples).ToList()), rate);
    }

    /// <summary>Writes <c>{"arc":"audio","v":1,"dtype":"float32","shape":[N,C,T],"data","rate"}</c> (see docs/wire-format.md).</summary>
    public static void WriteWire(ref MessagePackWriter writer, AudioData value)
    {
        WireWriter.WriteHeader(ref writer, WireTag, WireArray.FieldCount + 1);
        WireArray.WriteFields(ref writer, value.Samples);
        writer.Write("rate");
        writer.Write(value.SampleRate);
    }

    /// <inheritdoc />
    public static AudioData ReadWire(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, WireTag, WireTag);
        var samples = new WireArrayFields();
        int? rate = null;
        while (map.NextKey(ref reader, out var key))
        {
            if (samples.TryRead(key, ref reader, map)) continue;
            if (key == "rate") rate = WireReader.ReadInt32(ref reader, map.Path(key), min: 1);
            else map.SkipValue(ref reader, key);
        }
        var array = samples.Build(map);
        int sampleRate = map.Required(rate, "rate");
        return map.Construct(() => new AudioData(array, sampleRate));
    }

    /// <summary>True when <paramref name="other"/> holds the same samples at the same rate.</summary>
    public bool ContentEquals(AudioData? other)
        => other is not null && SampleRate == other.SampleRate && Samples.ContentEquals(other.Samples);

    /// <inheritdoc />
    public override string ToString() => $"AudioData(N={Count}, channels={Channels}, T={Length}, {SampleRate} Hz)";
}
