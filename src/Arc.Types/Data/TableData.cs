using MessagePack;

namespace Arc.Types;

/// <summary>
/// A batch of N rows with named, typed columns: numeric or bool columns (each an <see cref="ArcArray"/> of shape [N])
/// and string columns. Column names are unique; every column has exactly N rows.
/// </summary>
public sealed class TableData : IArcData<TableData>
{
    private readonly TableColumn[] _columns;
    private readonly Dictionary<string, int> _byName;

    /// <summary>A table of the given columns; N is their common length (a table needs at least one column here).</summary>
    public TableData(IReadOnlyList<TableColumn> columns)
        : this(columns is { Count: > 0 } ? columns[0]?.Count ?? 0 : throw new ArgumentException("a table without columns needs its row count: use TableData(rows, columns)", nameof(columns)), columns) { }

    /// <summary>A table of <paramref name="rows"/> rows; every column must have exactly that many.</summary>
    public TableData(int rows, IReadOnlyList<TableColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        _columns = columns.ToArray();
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i] ?? throw new ArgumentException($"column {i} is null", nameof(columns));
            if (!_byName.TryAdd(c.Name, i))
                throw new ArgumentException($"the column name '{c.Name}' appears twice", nameof(columns));
            if (c.Count != rows)
                throw new ArgumentException($"column '{c.Name}' has {c.Count} rows but the table has {rows}", nameof(columns));
        }
        Count = rows;
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<TableColumn> Columns => _columns;

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> ColumnNames => _columns.Select(c => c.Name).ToArray();

    /// <summary>The column called <paramref name="name"/>.</summary>
    public TableColumn this[string name] => TryGetColumn(name, out var column)
        ? column
        : throw new KeyNotFoundException($"the table has no column '{name}'; it has {string.Join(", ", _columns.Select(c => c.Name))}");

    /// <summary>Finds a column by name.</summary>
    public bool TryGetColumn(string name, out TableColumn column)
    {
        bool found = _byName.TryGetValue(name, out int i);
        column = found ? _columns[i] : null!;
        return found;
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public static string WireTag => "table";

    /// <inheritdoc />
    public TableData Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start > Count - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count} are outside 0..{Count}");
        return new TableData(count, _columns.Select(c => c.Slice(start, count)).ToArray());
    }

    /// <inheritdoc />
    public TableData Take(ReadOnlySpan<int> indices)
    {
        foreach (int r in indices)
            if ((uint)r >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), $"row {r} is outside 0..{Count}");
        var columns = new TableColumn[_columns.Length];
        for (int i = 0; i < columns.Length; i++) columns[i] = _columns[i].Take(indices);
        return new TableData(indices.Length, columns);
    }

    /// <summary>Stacks tables row-wise; all parts must have the same column names, order and dtypes.</summary>
    public static TableData Concat(IReadOnlyList<TableData> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(batches));
        var first = batches[0];
        foreach (var b in batches)
            if (!b.ColumnNames.SequenceEqual(first.ColumnNames))
                throw new ArgumentException($"cannot concatenate a table with columns [{string.Join(", ", b.ColumnNames)}] onto one with [{string.Join(", ", first.ColumnNames)}]", nameof(batches));
        var columns = new TableColumn[first._columns.Length];
        for (int i = 0; i < columns.Length; i++)
            columns[i] = TableColumn.Concat(batches.Select(b => b._columns[i]).ToList());
        return new TableData(checked(batches.Sum(b => b.Count)), columns);
    }

    /// <summary>
    /// Writes <c>{"arc":"table","v":1,"rows":N,"columns":[{"name","dtype","shape":[N],"data"} | {"name","dtype":"string","values":[...]}]}</c>
    /// (see docs/wire-format.md).
    /// </summary>
    public static void WriteWire(ref MessagePackWriter writer, TableData value)
    {
        WireWriter.WriteHeader(ref writer, WireTag, 2);
        writer.Write("rows");
        writer.Write(value.Count);
        writer.Write("columns");
        writer.WriteArrayHeader(value._columns.Length);
        foreach (var c in value._columns)
        {
            if (c.IsString)
            {
                writer.WriteMapHeader(3);
                writer.Write("name");
                writer.Write(c.Name);
                writer.Write("dtype");
                writer.Write(TableColumn.StringDType);
                writer.Write("values");
                WireWriter.WriteStrings(ref writer, c.Strings!);
            }
            else
            {
                writer.WriteMapHeader(1 + WireArray.FieldCount);
                writer.Write("name");
                writer.Write(c.Name);
                WireArray.WriteFields(ref writer, c.Values!);
            }
        }
    }

    /// <inheritdoc />
    public static TableData ReadWire(ref MessagePackReader reader)
    {
        var map = WireMap.Open(ref reader, WireTag, WireTag);
        int? rows = null;
        TableColumn[]? columns = null;
        while (map.NextKey(ref reader, out var key))
        {
            switch (key)
            {
                case "rows": rows = WireReader.ReadInt32(ref reader, map.Path(key), min: 0); break;
                case "columns": columns = ReadColumns(ref reader, map.Path(key)); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        int n = map.Required(rows, "rows");
        var cols = map.Required(columns, "columns");
        return map.Construct(() => new TableData(n, cols));
    }

    private static TableColumn[] ReadColumns(ref MessagePackReader reader, string where)
    {
        int count = WireReader.ReadArrayHeader(ref reader, where);
        var columns = new TableColumn[count];
        for (int i = 0; i < count; i++) columns[i] = ReadColumn(ref reader, WireReader.Element(where, i));
        return columns;
    }

    private static TableColumn ReadColumn(ref MessagePackReader reader, string where)
    {
        var map = WireMap.Open(ref reader, where, tag: null);
        var fields = new WireArrayFields();
        string? name = null;
        string[]? strings = null;
        while (map.NextKey(ref reader, out var key))
        {
            if (fields.TryRead(key, ref reader, map)) continue;
            switch (key)
            {
                case "name": name = WireReader.ReadString(ref reader, map.Path(key)); break;
                case "values": strings = WireReader.ReadStrings(ref reader, map.Path(key)); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        string columnName = map.Required(name, "name");
        if (map.Required(fields.DTypeName, "dtype") == TableColumn.StringDType)
        {
            if (fields.HasShapeOrData)
                throw map.Error("a string column carries its rows in 'values', not 'shape'/'data'");
            var values = map.Required(strings, "values");
            return TableColumn.FromStrings(columnName, values);
        }
        if (strings is not null)
            throw map.Error($"a {fields.DTypeName} column carries its rows in 'shape'/'data', not 'values'");
        var array = fields.Build(map);
        return map.Construct(() => TableColumn.FromArray(columnName, array));
    }

    /// <summary>True when <paramref name="other"/> has the same row count and columns (names, kinds, values, order).</summary>
    public bool ContentEquals(TableData? other)
    {
        if (other is null || other.Count != Count || other._columns.Length != _columns.Length) return false;
        for (int i = 0; i < _columns.Length; i++)
            if (!_columns[i].ContentEquals(other._columns[i])) return false;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"TableData(N={Count}, columns: {string.Join(", ", _columns.Select(c => $"{c.Name} {c.DTypeName}"))})";
}
