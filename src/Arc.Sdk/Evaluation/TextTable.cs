using System.Globalization;
using System.Text;

namespace Arc.Sdk;

/// <summary>A plain-text table with a header row: first column left-aligned, the others right-aligned (numbers).</summary>
internal sealed class TextTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = new();

    public TextTable(params string[] header) => _header = header;

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _header.Length)
            throw new ArgumentException($"a row needs {_header.Length} cells, got {cells.Length}", nameof(cells));
        _rows.Add(cells);
    }

    /// <summary>A separator line (drawn as dashes) before the next row.</summary>
    public void AddSeparator() => _rows.Add([]);

    public void WriteTo(StringBuilder text)
    {
        var widths = new int[_header.Length];
        foreach (var row in _rows.Prepend(_header))
            for (int c = 0; c < row.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        int total = widths.Sum() + 2 * (widths.Length - 1);
        WriteRow(text, _header, widths);
        text.Append('-', total).AppendLine();
        foreach (var row in _rows)
        {
            if (row.Length == 0) text.Append('-', total).AppendLine();
            else WriteRow(text, row, widths);
        }
    }

    private static void WriteRow(StringBuilder text, string[] row, int[] widths)
    {
        for (int c = 0; c < row.Length; c++)
        {
            if (c > 0) text.Append("  ");
            text.Append(c == 0 ? row[c].PadRight(widths[c]) : row[c].PadLeft(widths[c]));
        }
        // Trailing spaces from a padded last column are noise in logs and diffs.
        while (text.Length > 0 && text[^1] == ' ') text.Length--;
        text.AppendLine();
    }

    /// <summary>A metric with four decimals, invariant culture.</summary>
    public static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>A count, invariant culture.</summary>
    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
