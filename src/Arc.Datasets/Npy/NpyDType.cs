using System.Globalization;
using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// The element type of a <c>.npy</c> file as its header's <c>descr</c> names it, for the kinds Arc's data types
/// store: a number or bool (<c>'&lt;f4'</c>, <c>'|u1'</c>, …, one <see cref="ArcDType"/>), fixed-width text
/// (<c>'&lt;U12'</c>: UTF-32 code points, zero-padded) and a record of named fields of those (a table's row).
/// Two dtypes are equal when their <see cref="Descr"/> texts are.
/// </summary>
internal sealed class NpyDType : IEquatable<NpyDType>
{
    private NpyDType(ArcDType? element, int textWidth, IReadOnlyList<NpyField>? fields, int itemSize, string descr)
    {
        Element = element;
        TextWidth = textWidth;
        Fields = fields;
        ItemSize = itemSize;
        Descr = descr;
    }

    /// <summary>The number type, for a numeric or bool dtype.</summary>
    public ArcDType? Element { get; }

    /// <summary>Code points per element, for a text dtype (<c>&lt;U</c>); 0 otherwise.</summary>
    public int TextWidth { get; }

    /// <summary>Whether this is a text dtype.</summary>
    public bool IsText => Element is null && Fields is null;

    /// <summary>The fields in order with their byte offsets, for a record dtype.</summary>
    public IReadOnlyList<NpyField>? Fields { get; }

    /// <summary>Bytes per element.</summary>
    public int ItemSize { get; }

    /// <summary>The header's descr as Python writes it: <c>'&lt;f4'</c> or <c>[('a', '&lt;f4'), ('b', '&lt;U5')]</c>.</summary>
    public string Descr { get; }

    /// <summary>The dtype as meta.json names it: the bare descr string (<c>&lt;f4</c>) or, for a record, the descr's Python text.</summary>
    public string Name => Fields is null ? Descr[1..^1] : Descr;

    /// <summary>Whether the width of this dtype depends on the data (it holds text).</summary>
    public bool HasText => IsText || (Fields?.Any(f => f.DType.IsText) ?? false);

    /// <summary>The dtype of <paramref name="element"/>.</summary>
    public static NpyDType Of(ArcDType element)
        => new(element, 0, null, ArcDTypes.SizeOf(element), PythonLiteral.Repr(DescrOf(element)));

    /// <summary>Text of at most <paramref name="width"/> code points per element.</summary>
    public static NpyDType Text(int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if (width > int.MaxValue / 4) throw new ArgumentOutOfRangeException(nameof(width), width, "text elements this wide do not fit a row");
        return new(null, width, null, width * 4, PythonLiteral.Repr(string.Create(CultureInfo.InvariantCulture, $"<U{width}")));
    }

    /// <summary>A packed record of <paramref name="fields"/> (names unique, each a number, bool or text dtype).</summary>
    public static NpyDType Record(IReadOnlyList<(string Name, NpyDType DType)> fields)
    {
        if (fields.Count == 0) throw new ArgumentException("a record needs at least one field", nameof(fields));
        var placed = new NpyField[fields.Count];
        int offset = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < fields.Count; i++)
        {
            var (name, dtype) = fields[i];
            if (string.IsNullOrEmpty(name)) throw new ArgumentException($"field {i} has no name; NumPy would name it f{i}", nameof(fields));
            if (!names.Add(name)) throw new ArgumentException($"the field name '{name}' appears twice", nameof(fields));
            if (dtype.Fields is not null) throw new ArgumentException($"field '{name}' is itself a record", nameof(fields));
            placed[i] = new NpyField(name, dtype, offset);
            offset = checked(offset + dtype.ItemSize);
        }
        string descr = "[" + string.Join(", ", placed.Select(f => $"({PythonLiteral.Repr(f.Name)}, {f.DType.Descr})")) + "]";
        return new(null, 0, placed, offset, descr);
    }

    /// <summary>
    /// The dtype a header's descr value names (a string or a list of (name, descr) tuples), or a
    /// <see cref="FormatException"/> that says why Arc cannot hold it.
    /// </summary>
    public static NpyDType FromDescr(object? descr)
    {
        switch (descr)
        {
            case string text:
                return FromText(text);
            case PythonList list:
                var fields = new List<(string, NpyDType)>();
                foreach (var item in list.Items)
                {
                    if (item is not PythonTuple { Items: [string name, string fieldDescr] })
                        throw new FormatException($"record field {PythonValue(item)} is not a (name, dtype) pair; Arc reads flat records of numbers, bools and text only");
                    var field = FromText(fieldDescr);
                    fields.Add((name, field));
                }
                try { return Record(fields); }
                catch (ArgumentException e) { throw new FormatException(e.Message.Split(" (Parameter")[0], e); }
            default:
                throw new FormatException($"descr {PythonValue(descr)} is neither a dtype string nor a list of fields");
        }
    }

    private static NpyDType FromText(string descr)
    {
        if (descr.Length >= 2 && descr[0] == '<' && descr[1] == 'U'
            && int.TryParse(descr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int width) && width <= int.MaxValue / 4)
            return Text(width);
        // NumPy writes '<' for multi-byte little-endian numbers and '|' for single bytes; some writers write '=' or nothing.
        char order = descr.Length > 0 && descr[0] is '<' or '>' or '|' or '=' ? descr[0] : '\0';
        string body = order == '\0' ? descr : descr[1..];
        ArcDType? element = body switch
        {
            "f4" => ArcDType.Float32,
            "f8" => ArcDType.Float64,
            "i4" => ArcDType.Int32,
            "i8" => ArcDType.Int64,
            "u1" => ArcDType.UInt8,
            "b1" => ArcDType.Bool,
            _ => null,
        };
        if (element is ArcDType e)
        {
            if (order == '>' && ArcDTypes.SizeOf(e) > 1)
                throw new FormatException($"dtype '{descr}' is big-endian; Arc reads little-endian files (in NumPy: a.astype(a.dtype.newbyteorder('<')))");
            return Of(e);
        }
        if (body.StartsWith('O'))
            throw new FormatException($"dtype '{descr}' holds Python objects (pickles); Arc never loads those");
        throw new FormatException($"dtype '{descr}' is not one Arc stores (float32 '<f4', float64 '<f8', int32 '<i4', int64 '<i8', uint8 '|u1', bool '|b1', text '<U<n>')");
    }

    private static string DescrOf(ArcDType element) => element switch
    {
        ArcDType.Float32 => "<f4",
        ArcDType.Float64 => "<f8",
        ArcDType.Int32 => "<i4",
        ArcDType.Int64 => "<i8",
        ArcDType.UInt8 => "|u1",
        ArcDType.Bool => "|b1",
        _ => throw new ArgumentOutOfRangeException(nameof(element), element, "unknown dtype"),
    };

    private static string PythonValue(object? value) => value switch
    {
        null => "None",
        string s => PythonLiteral.Repr(s),
        PythonTuple t => "(" + string.Join(", ", t.Items.Select(PythonValue)) + (t.Items.Count == 1 ? ",)" : ")"),
        PythonList l => "[" + string.Join(", ", l.Items.Select(PythonValue)) + "]",
        PythonDict => "{…}",
        bool b => b ? "True" : "False",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };

    /// <inheritdoc />
    public bool Equals(NpyDType? other) => other is not null && other.Descr == Descr;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NpyDType);

    /// <inheritdoc />
    public override int GetHashCode() => Descr.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Descr;
}

/// <summary>One field of a record dtype: its name, dtype and byte offset within a row.</summary>
internal sealed record NpyField(string Name, NpyDType DType, int Offset);
