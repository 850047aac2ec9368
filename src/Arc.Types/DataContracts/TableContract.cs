using System.Text;
using MessagePack;

namespace Arc.Types;

/// <summary>One column a <see cref="TableContract"/> requires: its name and dtype (a wire name such as <c>float32</c>, or <c>string</c>).</summary>
public sealed record TableColumnContract
{
    /// <summary>A column named <paramref name="name"/> of dtype <paramref name="dtype"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty, or the dtype is not a wire name nor <c>string</c>.</exception>
    public TableColumnContract(string name, string dtype)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dtype);
        if (dtype != TableColumn.StringDType && !ArcDTypes.TryParse(dtype, out _))
            throw new ArgumentException($"'{dtype}' is not a column dtype: use float32, float64, int32, int64, uint8, bool or string", nameof(dtype));
        Name = name;
        DType = dtype;
    }

    /// <summary>The column's name.</summary>
    public string Name { get; }

    /// <summary>The column's dtype: a wire name (<c>float32</c>, …) or <c>string</c>.</summary>
    public string DType { get; }

    /// <summary>Parses <c>name:dtype</c> (the form the <c>[TableContract]</c> attribute takes).</summary>
    /// <exception cref="ArgumentException">Not of that form, or the dtype is unknown.</exception>
    public static TableColumnContract Parse(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        int colon = column.LastIndexOf(':');
        if (colon <= 0 || colon == column.Length - 1)
            throw new ArgumentException($"'{column}' is not 'name:dtype' (e.g. 'area:float64')", nameof(column));
        return new TableColumnContract(column[..colon], column[(colon + 1)..]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {DType}";
}

/// <summary>What a <see cref="TableData"/> must be: exactly these columns, names and dtypes, in this order.</summary>
public sealed class TableContract : ValueContract
{
    /// <summary>Lists in words at most this many columns, so a message about a wide table stays readable.</summary>
    private const int ColumnsInWords = 16;

    private readonly TableColumnContract[] _columns;

    /// <summary>A contract requiring <paramref name="columns"/>, in order.</summary>
    /// <exception cref="ArgumentException">A column is null or two share a name.</exception>
    public TableContract(IReadOnlyList<TableColumnContract> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns.ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in _columns)
        {
            if (c is null) throw new ArgumentException("a column is null", nameof(columns));
            if (!names.Add(c.Name)) throw new ArgumentException($"the column '{c.Name}' is listed twice", nameof(columns));
        }
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<TableColumnContract> Columns => _columns;

    /// <inheritdoc />
    public override string WireTag => TableData.WireTag;

    /// <inheritdoc />
    public override string? Mismatch(IArcData value)
    {
        if (value is not TableData table) return Received(value);
        var columns = table.Columns;
        bool fits = columns.Count == _columns.Length;
        for (int i = 0; fits && i < _columns.Length; i++)
            fits = columns[i].Name == _columns[i].Name && columns[i].DTypeName == _columns[i].DType;
        return fits ? null : Describe(columns.Select(c => (c.Name, c.DTypeName)).ToArray());
    }

    /// <inheritdoc />
    public override string? Conflict(ValueContract other)
        => other is TableContract job && job.Equals(this) ? null : $"it takes {this}, the job gives {other}";

    /// <inheritdoc />
    public override string ToString() => Describe(_columns.Select(c => (c.Name, c.DType)).ToArray());

    /// <inheritdoc />
    public override bool Equals(ValueContract? other) => other is TableContract o && o._columns.AsSpan().SequenceEqual(_columns);

    /// <inheritdoc />
    public override int GetHashCode() => base.GetHashCode();

    internal override void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write("kind");
        writer.Write(WireTag);
        writer.Write("columns");
        writer.WriteArrayHeader(_columns.Length);
        foreach (var c in _columns)
        {
            writer.WriteMapHeader(2);
            writer.Write("name");
            writer.Write(c.Name);
            writer.Write("dtype");
            writer.Write(c.DType);
        }
    }

    internal override void Write(System.Text.Json.Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", WireTag);
        writer.WriteStartArray("columns");
        foreach (var c in _columns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", c.Name);
            writer.WriteString("dtype", c.DType);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string Describe((string Name, string DType)[] columns)
    {
        var text = new StringBuilder("table of ").Append(columns.Length).Append(columns.Length == 1 ? " column" : " columns");
        if (columns.Length == 0) return text.ToString();
        text.Append(" (");
        for (int i = 0; i < columns.Length && i < ColumnsInWords; i++)
            text.Append(i == 0 ? "" : ", ").Append(columns[i].Name).Append(' ').Append(columns[i].DType);
        if (columns.Length > ColumnsInWords) text.Append(", …");
        return text.Append(')').ToString();
    }
}
