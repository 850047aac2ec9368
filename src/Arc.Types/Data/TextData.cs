using MessagePack;

namespace Arc.Types;

/// <summary>
/// A batch of N texts. There is no tensor form: turning text into numbers is a tokenizer's job, and the tokenizer
/// belongs to the model, not to the data type.
/// </summary>
public sealed class TextData : IArcData<TextData>
{
    private readonly string[] _texts;

    /// <summary>Wraps the texts (copied); none may be null.</summary>
    public TextData(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        _texts = texts.ToArray();
        for (int i = 0; i < _texts.Length; i++)
            if (_texts[i] is null) throw new ArgumentException($"text {i} is null; use an empty string for no text", nameof(texts));
    }

    /// <summary>Wraps the texts (copied); none may be null.</summary>
    public TextData(params string[] texts) : this((IReadOnlyList<string>)texts) { }

    /// <summary>The texts, one per sample.</summary>
    public IReadOnlyList<string> Texts => _texts;

    /// <summary>Text of sample <paramref name="index"/>.</summary>
    public string this[int index] => _texts[index];

    /// <inheritdoc />
    public int Count => _texts.Length;

    /// <inheritdoc />
    public static string WireTag => "text";

    /// <inheritdoc />
    public TextData Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start > _texts.Length - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count} are outside 0..{_texts.Length}");
        return new TextData(_texts.AsSpan(start, count).ToArray());
    }

    /// <inheritdoc />
    public TextData Take(ReadOnlySpan<int> indices)
    {
        var result = new string[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            if ((uint)r >= (uint)_texts.Length) throw new ArgumentOutOfRangeException(nameof(indices), $"row {r} is outside 0..{_texts.Length}");
            result[i] = _texts[r];
        }
        return new TextData(result);
    }

    /// <inheritdoc />
    public static TextData Concat(IReadOnlyList<TextData> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(batches));
        return new TextData(batches.SelectMany(b => b._texts).ToArray());
    }

    /// <summary>Writes <c>{"arc":"text","v":1,"texts":[...]}</c> (see docs/wire-format.md).</summary>
    public static void WriteWire(ref MessagePackWriter writer, TextData value)
    {
        WireWriter.WriteHeader(ref writer, WireTag, 1);
        writer.Write("texts");
        WireWriter.WriteStrings(ref writer, value._texts);
    }

    /// <inheritdoc />
    public static TextData ReadWire(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, WireTag, WireTag);
        string[]? texts = null;
        while (map.NextKey(ref reader, out var key))
        {
            if (key == "texts") texts = WireReader.ReadStrings(ref reader, map.Path(key));
            else map.SkipValue(ref reader, key);
        }
        return new TextData(map.Required(texts, "texts"));
    }

    /// <summary>True when <paramref name="other"/> holds the same texts in the same order.</summary>
    public bool ContentEquals(TextData? other) => other is not null && _texts.AsSpan().SequenceEqual(other._texts);

    /// <inheritdoc />
    public override string ToString() => $"TextData(N={Count})";
}
