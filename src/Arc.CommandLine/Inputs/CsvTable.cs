using System.Globalization;
using System.Text;
using Arc.Types;

namespace Arc.CommandLine;

/// <summary>
/// <c>infer --input x.csv</c> → <see cref="TableData"/>: a header row of column names, then one row per prediction
/// (RFC 4180: commas inside double quotes, <c>""</c> for a quote, CRLF or LF). A column whose every cell is a number
/// (invariant culture; NaN and ±Infinity too) becomes float32, the type table models take; any other column stays text.
/// Several files must share the header; their rows follow one another.
/// </summary>
internal static class CsvTable
{
    /// <summary>The files as one table, with one name per row (<c>file.csv:line</c>).</summary>
    /// <exception cref="CommandLineException">A file is empty, a row has the wrong number of cells, a quote is open, or headers differ; the message names the file and line.</exception>
    public static (TableData Table, List<string> Names) Read(IReadOnlyList<string> files)
    {
        string[]? header = null;
        string? headerFile = null;
        var rows = new List<string[]>();
        var names = new List<string>();
        foreach (var file in files)
        {
            var records = Parse(file);
            if (records.Count == 0)
                throw new CommandLineException($"--input: {file} is empty; a CSV file starts with a header row of column names");
            var (first, _) = records[0];
            if (first.Any(string.IsNullOrWhiteSpace) || first.Distinct(StringComparer.Ordinal).Count() != first.Length)
                throw new CommandLineException($"--input: {file} line 1: the header needs a distinct, non-empty name for every column");
            if (header is null) (header, headerFile) = (first, file);
            else if (!header.SequenceEqual(first, StringComparer.Ordinal))
                throw new CommandLineException($"--input: {file} has the columns {string.Join(",", first)}, but {headerFile} has {string.Join(",", header)}; give files of one table");
            foreach (var (cells, line) in records.Skip(1))
            {
                if (cells.Length != header.Length)
                    throw new CommandLineException($"--input: {file} line {line} has {cells.Length} cells; the header has {header.Length}");
                rows.Add(cells);
                names.Add($"{Path.GetFileName(file)}:{line.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        if (rows.Count == 0)
            throw new CommandLineException($"--input: {string.Join(", ", files)} hold a header but no rows to predict");
        var columns = new TableColumn[header!.Length];
        for (int c = 0; c < columns.Length; c++)
            columns[c] = Column(header[c], rows, c);
        return (new TableData(rows.Count, columns), names);
    }

    private static TableColumn Column(string name, List<string[]> rows, int index)
    {
        var numbers = new float[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            if (!float.TryParse(rows[r][index].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[r]))
                return TableColumn.FromStrings(name, rows.Select(row => row[index]).ToArray());
        }
        return TableColumn.FromValues(name, numbers);
    }

    /// <summary>The records of a file with the line each starts on (from 1); blank lines are skipped.</summary>
    private static List<(string[] Cells, int Line)> Parse(string file)
    {
        string text = File.ReadAllText(file);
        var records = new List<(string[], int)>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false, any = false;
        int line = 1, start = 1, quoteLine = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else { if (ch == '\n') line++; cell.Append(ch); }
                continue;
            }
            switch (ch)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    any = true;
                    quoteLine = line;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    any = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    start = line;
                    break;
                default:
                    cell.Append(ch);
                    any = true;
                    break;
            }
        }
        if (quoted)
            throw new CommandLineException($"--input: {file} line {quoteLine.ToString(CultureInfo.InvariantCulture)}: a quoted cell is never closed");
        EndRecord();
        return records;

        void EndRecord()
        {
            if (any || cell.Length > 0)
            {
                cells.Add(cell.ToString());
                records.Add((cells.ToArray(), start));
            }
            cells.Clear();
            cell.Clear();
            any = false;
        }
    }
}
