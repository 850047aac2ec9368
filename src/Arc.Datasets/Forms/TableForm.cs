using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// <see cref="TableData"/>: one record per row (a NumPy structured array of shape [N]), one field per column in
/// order — numbers and bools in their dtype, strings as fixed-width text as wide as the column's longest value.
/// </summary>
internal sealed class TableForm : DataForm<TableData>
{
    public override NpyLayout LayoutOf(TableData batch)
    {
        if (batch.Columns.Count == 0) throw new ArgumentException("the table has no columns; a dataset row needs at least one");
        var fields = new List<(string, NpyDType)>();
        foreach (var column in batch.Columns)
        {
            if (column.Values is { } values)
            {
                fields.Add((column.Name, NpyDType.Of(values.DType)));
                continue;
            }
            int width = 1;
            for (int i = 0; i < column.Count; i++)
            {
                TextCodePoints.Check(column.Strings![i], $"column '{column.Name}' row {i}");
                width = Math.Max(width, TextCodePoints.Count(column.Strings[i]));
            }
            fields.Add((column.Name, NpyDType.Text(width)));
        }
        return new NpyLayout(NpyDType.Record(fields), []);
    }

    public override NpyLayout Widen(NpyLayout first, NpyLayout next)
    {
        var a = first.DType.Fields!;
        var b = next.DType.Fields!;
        bool sameKinds = a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name
            && (p.First.DType.IsText ? p.Second.DType.IsText : p.First.DType.Equals(p.Second.DType)));
        if (!sameKinds) throw new ArgumentException($"its rows are {next}, but the first batch's were {first}");
        return new NpyLayout(NpyDType.Record(a.Zip(b).Select(p => (p.First.Name,
            p.First.DType.IsText ? NpyDType.Text(Math.Max(p.First.DType.TextWidth, p.Second.DType.TextWidth)) : p.First.DType)).ToList()), []);
    }

    public override ReadOnlyMemory<byte> RowsOf(TableData batch, NpyLayout layout)
    {
        int size = layout.DType.ItemSize;
        var bytes = new byte[checked(batch.Count * size)];
        var fields = layout.DType.Fields!;
        for (int f = 0; f < fields.Count; f++)
        {
            var (field, column) = (fields[f], batch.Columns[f]);
            if (column.Values is { } values)
            {
                int item = field.DType.ItemSize;
                var source = values.Bytes;
                for (int r = 0; r < batch.Count; r++)
                    source.Slice(r * item, item).CopyTo(bytes.AsSpan(r * size + field.Offset, item));
            }
            else
            {
                for (int r = 0; r < batch.Count; r++)
                    TextCodePoints.Write(column.Strings![r], bytes.AsSpan(r * size + field.Offset, field.DType.ItemSize));
            }
        }
        return bytes;
    }

    public override string? Rejects(NpyLayout layout, DataFacts facts)
        => layout.DType.Fields is null ? $"holds {layout.DType.Name}, not records (a structured dtype with one field per column)"
            : layout.RowShape.Length != 0 ? "has more than one record per row; a table has one per sample"
            : null;

    public override TableData FromRows(NpyLayout layout, int rows, byte[] bytes, DataFacts facts)
    {
        int size = layout.DType.ItemSize;
        var columns = new List<TableColumn>();
        foreach (var field in layout.DType.Fields!)
        {
            int item = field.DType.ItemSize;
            if (field.DType.Element is ArcDType dtype)
            {
                var values = new byte[checked(rows * item)];
                for (int r = 0; r < rows; r++)
                    bytes.AsSpan(r * size + field.Offset, item).CopyTo(values.AsSpan(r * item, item));
                columns.Add(TableColumn.FromArray(field.Name, ArcArray.FromBytes(dtype, [rows], values)));
            }
            else
            {
                var strings = new string[rows];
                for (int r = 0; r < rows; r++) strings[r] = TextCodePoints.Read(bytes.AsSpan(r * size + field.Offset, item));
                columns.Add(TableColumn.FromStrings(field.Name, strings));
            }
        }
        return new TableData(rows, columns);
    }
}
