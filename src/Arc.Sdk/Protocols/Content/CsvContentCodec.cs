using System.Globalization;
using System.Text;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// <c>text/csv</c> (RFC 4180, UTF-8, a header row): <see cref="TableData"/> both ways. A column whose every cell is an
/// integer reads as <c>int64</c>, one whose every cell is a number as <c>float64</c>, any other as strings.
/// </summary>
internal sealed class CsvContentCodec : IContentCodec
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string ContentType => ContentTypes.Csv;

    public bool CanRead<T>() where T : class, IArcData<T> => typeof(T) == typeof(TableData);

    public bool CanWrite<T>() where T : class, IArcData<T> => typeof(T) == typeof(TableData);

    public T Read<T>(ReadOnlyMemory<byte> data, ValueContract? contract) where T : class, IArcData<T>
    {
        string text;
        try { text = Strict.GetString(data.Span); }
        catch (DecoderFallbackException e) { throw new ArcFormatException($"text/csv body is not UTF-8 (at byte {e.Index})", e); }
        var rows = CsvText.Parse(text);
        if (rows.Count == 0) throw new ArcFormatException("text/csv body is empty; it needs a header row");
        var header = rows[0];
        for (int r = 1; r < rows.Count; r++)
            if (rows[r].Count != header.Count)
                throw new ArcFormatException($"text/csv row {r + 1} has {rows[r].Count} cells; the header has {header.Count}");
        var columns = new List<TableColumn>(header.Count);
        for (int c = 0; c < header.Count; c++)
            columns.Add(Column(header[c], rows.Skip(1).Select(row => row[c]).ToArray()));
        return (T)(object)new TableData(rows.Count - 1, columns);
    }

    public byte[] Write<T>(T value) where T : class, IArcData<T>
    {
        var table = value as TableData ?? throw new NotSupportedException($"text/csv cannot hold {typeof(T).Name}");
        var builder = new StringBuilder();
        builder.AppendJoin(',', table.Columns.Select(c => CsvText.Quote(c.Name))).Append('\n');
        var cells = table.Columns.Select(Cells).ToArray();
        for (int r = 0; r < table.Count; r++)
            builder.AppendJoin(',', cells.Select(c => CsvText.Quote(c[r]))).Append('\n');
        return Strict.GetBytes(builder.ToString());
    }

    private static TableColumn Column(string name, string[] cells)
    {
        if (cells.All(c => long.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            return TableColumn.FromValues(name, cells.Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray());
        if (cells.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            return TableColumn.FromValues(name, cells.Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray());
        return TableColumn.FromStrings(name, cells);
    }

    private static string[] Cells(TableColumn column)
    {
        if (column.Strings is { } strings) return strings.ToArray();
        var values = column.Values!;
        // One cell per row through the array's own element formatting: numbers and bools in invariant culture.
        return Enumerable.Range(0, column.Count).Select(r => FormatCell(values, r)).ToArray();
    }

    private static string FormatCell(ArcArray values, int row) => values.DType switch
    {
        ArcDType.Float32 => values.AsSpan<float>()[row].ToString("R", CultureInfo.InvariantCulture),
        ArcDType.Float64 => values.AsSpan<double>()[row].ToString("R", CultureInfo.InvariantCulture),
        ArcDType.Int32 => values.AsSpan<int>()[row].ToString(CultureInfo.InvariantCulture),
        ArcDType.Int64 => values.AsSpan<long>()[row].ToString(CultureInfo.InvariantCulture),
        ArcDType.UInt8 => values.AsSpan<byte>()[row].ToString(CultureInfo.InvariantCulture),
        ArcDType.Bool => values.AsSpan<bool>()[row] ? "true" : "false",
        _ => throw new NotSupportedException($"text/csv does not write {values.DType} columns yet; ask for application/json"),
    };
}
