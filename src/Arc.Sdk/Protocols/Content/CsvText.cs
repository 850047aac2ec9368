using System.Text;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>RFC 4180 cells: quoted fields with doubled quotes, commas and line breaks inside quotes.</summary>
internal static class CsvText
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch != '"') cell.Append(ch);
                else if (i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else quoted = false;
                continue;
            }
            switch (ch)
            {
                case '"' when cell.Length == 0: quoted = true; any = true; break;
                case ',': row.Add(cell.ToString()); cell.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    row.Add(cell.ToString()); cell.Clear();
                    rows.Add(row); row = []; any = false;
                    break;
                default: cell.Append(ch); any = true; break;
            }
        }
        if (quoted) throw new ArcFormatException($"text/csv row {rows.Count + 1} has a quote that is never closed");
        if (any || cell.Length > 0) { row.Add(cell.ToString()); rows.Add(row); }
        return rows;
    }

    public static string Quote(string cell)
        => cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
