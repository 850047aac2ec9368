using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Arc.Cli;

/// <summary>
/// Where a command's answer goes: a human table (Spectre.Console) by default, or one JSON document with <c>--json</c>
/// for scripts. Errors never go here: they go to standard error (<see cref="ArcCommandLine"/>).
/// </summary>
internal sealed class Output
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly TextWriter _writer;
    private readonly IAnsiConsole _console;

    public Output(TextWriter writer, bool json)
    {
        _writer = writer;
        Json = json;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        // A pipe or a file has no width; Spectre would assume 80 columns and wrap ids and times. Lines stay whole instead.
        if (Console.IsOutputRedirected) _console.Profile.Width = 4096;
    }

    /// <summary>Whether the answer is JSON.</summary>
    public bool Json { get; }

    public void WriteJson(JsonNode? node) => _writer.WriteLine(node?.ToJsonString(JsonOptions) ?? "null");

    public void WriteTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers) table.AddColumn(new TableColumn(Markup.Escape(header)).NoWrap());
        int count = 0;
        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
            count++;
        }
        if (count == 0)
        {
            _writer.WriteLine("(none)");
            return;
        }
        _console.Write(table);
    }

    /// <summary>A record's fields, one <c>name: value</c> per line, in the order given.</summary>
    public void WriteFields(IEnumerable<(string Name, string Value)> fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in fields) grid.AddRow(new Text(name + ":"), new Text(value));
        _console.Write(grid);
    }

    public void WriteLine(string line) => _writer.WriteLine(line);

    /// <summary>A time as the tables show it: UTC, to the second.</summary>
    public static string Time(DateTimeOffset? time)
        => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>A time as JSON carries it: ISO 8601 UTC to the microsecond, as the store keeps it.</summary>
    public static JsonNode? JsonTime(DateTimeOffset? time)
        => time is { } t ? JsonValue.Create(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)) : null;

    /// <summary>
    /// A double as JSON carries it: a number, or the string <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>
    /// (JSON has no such numbers; the store keeps them, so the output must too).
    /// </summary>
    public static JsonNode JsonDouble(double value)
        => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(Number(value));

    /// <summary>A double as the tables show it (round-trip form; NaN, Infinity, -Infinity).</summary>
    public static string Number(double value) => double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
