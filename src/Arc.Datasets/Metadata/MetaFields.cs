using System.Text.Json;

namespace Arc.Datasets;

/// <summary>
/// Typed reads of meta.json's members: each one that is missing or of the wrong kind is a
/// <see cref="DatasetFormatException"/> naming the file and the member's path (<c>content.splits.train.samples</c>).
/// </summary>
internal sealed class MetaFields(string file)
{
    /// <summary>The meta.json read.</summary>
    public string File { get; } = file;

    public DatasetFormatException Error(string where, string problem) => new(File, $"{where}: {problem}");

    public JsonElement Member(JsonElement parent, string key, string where, JsonValueKind kind)
    {
        if (parent.ValueKind != JsonValueKind.Object) throw Error(where, "is not an object");
        if (!parent.TryGetProperty(key, out var value)) throw Error(Path(where, key), "is missing");
        if (value.ValueKind != kind && !(kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
            throw Error(Path(where, key), $"is {Describe(value.ValueKind)}, not {Describe(kind)}");
        return value;
    }

    public JsonElement? Optional(JsonElement parent, string key) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public JsonElement Object(JsonElement parent, string key, string where) => Member(parent, key, where, JsonValueKind.Object);

    public string String(JsonElement parent, string key, string where) => Member(parent, key, where, JsonValueKind.String).GetString()!;

    public long Int64(JsonElement parent, string key, string where, long min = 0)
    {
        var value = Member(parent, key, where, JsonValueKind.Number);
        if (!value.TryGetInt64(out long n) || n < min) throw Error(Path(where, key), $"is {value.GetRawText()}, not a whole number of at least {min}");
        return n;
    }

    public int Int32(JsonElement parent, string key, string where, int min = 0)
    {
        long n = Int64(parent, key, where, min);
        return n <= int.MaxValue ? (int)n : throw Error(Path(where, key), $"is {n}, more than {int.MaxValue}");
    }

    public double Double(JsonElement parent, string key, string where) => Member(parent, key, where, JsonValueKind.Number).GetDouble();

    public string[] Strings(JsonElement parent, string key, string where)
    {
        var array = Member(parent, key, where, JsonValueKind.Array);
        var result = new string[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw Error($"{Path(where, key)}[{i}]", $"is {Describe(item.ValueKind)}, not a string");
            result[i++] = item.GetString()!;
        }
        return result;
    }

    public long[] Int64s(JsonElement parent, string key, string where)
    {
        var array = Member(parent, key, where, JsonValueKind.Array);
        var result = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out result[i]) || result[i] < 0)
                throw Error($"{Path(where, key)}[{i}]", $"is {item.GetRawText()}, not a whole number of at least 0");
            i++;
        }
        return result;
    }

    public static string Path(string where, string key) => where.Length == 0 ? key : $"{where}.{key}";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
