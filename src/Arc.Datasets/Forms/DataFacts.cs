namespace Arc.Datasets;

/// <summary>
/// What a data type carries besides its rows, kept once per dataset in meta.json: the class or label names, an audio
/// sample rate, a video frame rate. Every batch of every split must carry the same facts.
/// </summary>
internal sealed class DataFacts : IEquatable<DataFacts>
{
    public static readonly DataFacts None = new();

    /// <summary>Class names (<see cref="Arc.Types.ClassData"/>) or label names (<see cref="Arc.Types.LabelData"/>).</summary>
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>Samples per second of <see cref="Arc.Types.AudioData"/>.</summary>
    public int? SampleRate { get; init; }

    /// <summary>Frames per second of <see cref="Arc.Types.VideoData"/>.</summary>
    public double? FramesPerSecond { get; init; }

    /// <inheritdoc />
    public bool Equals(DataFacts? other)
        => other is not null && SampleRate == other.SampleRate && FramesPerSecond.Equals(other.FramesPerSecond)
           && (Names is null ? other.Names is null : other.Names is not null && Names.SequenceEqual(other.Names));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DataFacts);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Names?.Count, SampleRate, FramesPerSecond);

    /// <inheritdoc />
    public override string ToString()
        => Names is not null ? $"names [{string.Join(", ", Names)}]"
            : SampleRate is int rate ? $"{rate} Hz"
            : FramesPerSecond is double fps ? FormattableString.Invariant($"{fps} fps")
            : "no facts";
}
