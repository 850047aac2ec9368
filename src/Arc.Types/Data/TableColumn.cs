namespace Arc.Types;

/// <summary>
/// One named column of a <see cref="TableData"/>: either numbers/booleans (an <see cref="ArcArray"/> of shape [N])
/// or strings. Immutable.
/// </summary>
public sealed class TableColumn
{
    /// <summary>The dtype name of a string column in the wire and JSON forms.</summary>
    public const string StringDType = "string";

    private readonly string[]? _strings;

    private TableColumn(string name, ArcArray? values, string[]? strings)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Values = values;
        _strings = strings;
    }

    /// <summary>A numeric or bool column from an array of shape [N].</summary>
    public static TableColumn FromArray(string name, ArcArray values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Rank != 1)
            throw new ArgumentException($"column '{name}' must have shape [N]; got {values}", nameof(values));
        return new TableColumn(name, values, null);
    }

    /// <summary>A numeric or bool column holding a copy of <paramref name="values"/>.</summary>
    public static TableColumn FromValues<T>(string name, ReadOnlySpan<T> values) where T : unmanaged
        => FromArray(name, ArcArray.From(values, values.Length));

    /// <summary>A numeric or bool column holding a copy of <paramref name="values"/>.</summary>
    public static TableColumn FromValues<T>(string name, T[] values) where T : unmanaged
        => FromValues(name, (ReadOnlySpan<T>)values);

    /// <summary>A string column (copied); no value may be null.</summary>
    public static TableColumn FromStrings(string name, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = values.ToArray();
        for (int i = 0; i < copy.Length; i++)
            if (copy[i] is null) throw new ArgumentException($"column '{name}' has a null at row {i}; use an empty string", nameof(values));
        return new TableColumn(name, null, copy);
    }

    /// <summary>The column's name, unique within its table.</summary>
    public string Name { get; }

    /// <summary>The values of a numeric or bool column, shape [N]; null for a string column.</summary>
    public ArcArray? Values { get; }

    /// <summary>The values of a string column; null for a numeric one.</summary>
    public IReadOnlyList<string>? Strings => _strings;

    /// <summary>True for a string column.</summary>
    public bool IsString => _strings is not null;

    /// <summary>Number of rows.</summary>
    public int Count => _strings?.Length ?? Values!.Rows;

    /// <summary>The dtype name used by the wire and JSON forms: <c>string</c> or an <see cref="ArcDType"/> name.</summary>
    public string DTypeName => IsString ? StringDType : ArcDTypes.WireName(Values!.DType);

    /// <summary>Rows start .. start+count-1.</summary>
    public TableColumn Slice(int start, int count)
    {
        if (Values is not null) return new TableColumn(Name, Values.SliceRows(start, count), null);
        if (start < 0 || count < 0 || start > _strings!.Length - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count} are outside 0..{_strings!.Length}");
        return new TableColumn(Name, null, _strings.AsSpan(start, count).ToArray());
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public TableColumn Take(ReadOnlySpan<int> indices)
    {
        if (Values is not null) return new TableColumn(Name, Values.TakeRows(indices), null);
        var result = new string[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            if ((uint)r >= (uint)_strings!.Length) throw new ArgumentOutOfRangeException(nameof(indices), $"row {r} is outside 0..{_strings.Length}");
            result[i] = _strings[r];
        }
        return new TableColumn(Name, null, result);
    }

    /// <summary>Joins the same column of several tables; names and dtypes must match.</summary>
    public static TableColumn Concat(IReadOnlyList<TableColumn> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(parts));
        var first = parts[0];
        foreach (var p in parts)
        {
            if (p.Name != first.Name)
                throw new ArgumentException($"cannot concatenate column '{p.Name}' onto column '{first.Name}'", nameof(parts));
            if (p.DTypeName != first.DTypeName)
                throw new ArgumentException($"column '{first.Name}' is {first.DTypeName} in one table and {p.DTypeName} in another", nameof(parts));
        }
        return first.IsString
            ? new TableColumn(first.Name, null, parts.SelectMany(p => p._strings!).ToArray())
            : new TableColumn(first.Name, ArcArray.ConcatRows(parts.Select(p => p.Values!).ToList()), null);
    }

    /// <summary>True when <paramref name="other"/> has the same name, kind and values.</summary>
    public bool ContentEquals(TableColumn? other)
        => other is not null && other.Name == Name
           && (IsString ? other.IsString && _strings.AsSpan().SequenceEqual(other._strings) : Values!.ContentEquals(other.Values));

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {DTypeName}[{Count}]";
}
