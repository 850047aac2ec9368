using System.Text.Json;

namespace Arc.Types;

/// <summary>Checked readers of JSON scalars and arrays; each failure names the path and what was found instead.</summary>
internal static class JsonRead
{
    public static string String(JsonElement e, string where)
        => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Wrong(e, where, "a string");

    public static string[] Strings(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Wrong(e, where, "an array of strings");
        var result = new string[e.GetArrayLength()];
        int i = 0;
        foreach (var item in e.EnumerateArray()) { result[i] = String(item, $"{where}[{i}]"); i++; }
        return result;
    }

    public static int Int32(JsonElement e, string where, int min = int.MinValue)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long value)) throw Wrong(e, where, "an integer");
        if (value < min || value > int.MaxValue) throw new ArcFormatException($"{where}: {value} is outside {min}..{int.MaxValue}");
        return (int)value;
    }

    public static double Number(JsonElement e, string where)
        => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw Wrong(e, where, "a number");

    public static int[] Shape(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Wrong(e, where, "an array of dimensions");
        int rank = e.GetArrayLength();
        if (rank > WireLimits.MaxRank)
            throw new ArcFormatException($"{where}: {rank} dimensions is more than the {WireLimits.MaxRank} the format allows");
        var shape = new int[rank];
        int i = 0;
        foreach (var d in e.EnumerateArray()) { shape[i] = Int32(d, $"{where}[{i}]", min: 0); i++; }
        return shape;
    }

    public static ArcFormatException Wrong(JsonElement e, string where, string expected)
        => new($"{where}: expected {expected} but found {Describe(e.ValueKind)}");

    public static string Describe(JsonValueKind kind) => kind switch
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
