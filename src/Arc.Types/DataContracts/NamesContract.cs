using MessagePack;

namespace Arc.Types;

/// <summary>
/// What a <see cref="ClassData"/> (<see cref="ForClasses"/>) or a <see cref="LabelData"/> (<see cref="ForLabels"/>) must
/// be: exactly these class (label) names, in this order, since an index means the name at that place.
/// </summary>
public sealed class NamesContract : ValueContract
{
    private readonly string[] _names;

    private NamesContract(string tag, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = names.ToArray();
        if (_names.Length == 0) throw new ArgumentException("give at least one name", nameof(names));
        if (_names.Any(n => n is null)) throw new ArgumentException("a name is null", nameof(names));
        if (_names.Distinct(StringComparer.Ordinal).Count() != _names.Length) throw new ArgumentException("a name is listed twice", nameof(names));
        WireTag = tag;
    }

    /// <summary>A contract for <see cref="ClassData"/>: these class names, in order.</summary>
    public static NamesContract ForClasses(IReadOnlyList<string> names) => new(ClassData.WireTag, names);

    /// <summary>A contract for <see cref="LabelData"/>: these label names, in order.</summary>
    public static NamesContract ForLabels(IReadOnlyList<string> names) => new(LabelData.WireTag, names);

    /// <summary>The names, in order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <inheritdoc />
    public override string WireTag { get; }

    /// <inheritdoc />
    public override string? Mismatch(IArcData value)
    {
        var names = value switch
        {
            ClassData c when WireTag == ClassData.WireTag => c.ClassNames,
            LabelData l when WireTag == LabelData.WireTag => l.LabelNames,
            _ => null,
        };
        if (names is null) return Received(value);
        if (names.Count == _names.Length)
        {
            bool same = true;
            for (int i = 0; same && i < _names.Length; i++) same = names[i] == _names[i];
            if (same) return null;
        }
        return Describe(WireTag, names);
    }

    /// <inheritdoc />
    public override string? Conflict(ValueContract other)
        => other is NamesContract job && job.Equals(this) ? null : $"it has {this}, the job has {other}";

    /// <inheritdoc />
    public override string ToString() => Describe(WireTag, _names);

    /// <inheritdoc />
    public override bool Equals(ValueContract? other) => other is NamesContract o && o.WireTag == WireTag && o._names.AsSpan().SequenceEqual(_names);

    /// <inheritdoc />
    public override int GetHashCode() => base.GetHashCode();

    internal override void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write("kind");
        writer.Write(WireTag);
        writer.Write("names");
        WireWriter.WriteStrings(ref writer, _names);
    }

    internal override void Write(System.Text.Json.Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", WireTag);
        writer.WriteStartArray("names");
        foreach (var n in _names) writer.WriteStringValue(n);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Names in words; a long list is cut, so a message stays readable.</summary>
    private static string Describe(string tag, IReadOnlyList<string> names)
    {
        const int shown = 16;
        string list = string.Join(", ", names.Take(shown)) + (names.Count > shown ? $", … ({names.Count} names)" : "");
        return $"{tag} names [{list}]";
    }
}
