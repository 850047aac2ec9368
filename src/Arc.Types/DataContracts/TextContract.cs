using MessagePack;

namespace Arc.Types;

/// <summary>What a <see cref="TextData"/> must be: each sample at most <see cref="MaxLength"/> characters (UTF-16 code units), or any length.</summary>
public sealed class TextContract : ValueContract
{
    /// <summary>A contract with an optional maximum length.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The maximum is below 1.</exception>
    public TextContract(int? maxLength = null)
        => MaxLength = maxLength is int m && m < 1
            ? throw new ArgumentOutOfRangeException(nameof(maxLength), m, "a maximum length must be at least 1 (null leaves it free)")
            : maxLength;

    /// <summary>The longest sample allowed, or null for any.</summary>
    public int? MaxLength { get; }

    /// <inheritdoc />
    public override string WireTag => TextData.WireTag;

    /// <inheritdoc />
    public override string? Mismatch(IArcData value)
    {
        if (value is not TextData text) return Received(value);
        if (MaxLength is not int max) return null;
        var texts = text.Texts;
        for (int i = 0; i < texts.Count; i++)
            if (texts[i].Length > max)
                return $"text of {texts[i].Length} characters (sample {i})";
        return null;
    }

    /// <inheritdoc />
    public override string? Conflict(ValueContract other)
    {
        if (other is not TextContract job) return $"it takes {this}, the job gives {other}";
        return MaxLength is int mine && job.MaxLength is int theirs && theirs > mine ? $"it takes {this}, the job gives {job}" : null;
    }

    /// <inheritdoc />
    public override string ToString() => MaxLength is int max ? $"text of at most {max} characters" : "text of any length";

    /// <inheritdoc />
    public override bool Equals(ValueContract? other) => other is TextContract o && o.MaxLength == MaxLength;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(MaxLength);

    internal override void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write("kind");
        writer.Write(WireTag);
        writer.Write("max_length");
        if (MaxLength is int max) writer.Write(max); else writer.WriteNil();
    }

    internal override void Write(System.Text.Json.Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", WireTag);
        if (MaxLength is int max) writer.WriteNumber("max_length", max); else writer.WriteNull("max_length");
        writer.WriteEndObject();
    }
}
