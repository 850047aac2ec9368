using System.Text.Json;

namespace Arc.Types;

/// <summary>Reads a <see cref="DataContract"/>'s JSON form (saved-artifact configs, tools).</summary>
internal static class ContractJson
{
    public static DataContract Read(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new FormatException("a contract is a JSON object {\"x\": …, \"y\": …}");
        return new DataContract(Value(json, "x"), Value(json, "y"));
    }

    private static ValueContract? Value(JsonElement parent, string side)
    {
        if (!parent.TryGetProperty(side, out var json) || json.ValueKind == JsonValueKind.Null) return null;
        try
        {
            string kind = json.GetProperty("kind").GetString() ?? throw new FormatException("'kind' is null");
            return kind switch
            {
                "image" => new ImageContract(Size(json, "channels"), Size(json, "height"), Size(json, "width"), DType(json)),
                "table" => new TableContract(json.GetProperty("columns").EnumerateArray()
                    .Select(c => new TableColumnContract(c.GetProperty("name").GetString()!, c.GetProperty("dtype").GetString()!)).ToArray()),
                "text" => new TextContract(Size(json, "max_length")),
                "class" => NamesContract.ForClasses(Names(json)),
                "label" => NamesContract.ForLabels(Names(json)),
                _ => throw new FormatException($"'{kind}' is not a contract kind (image, table, text, class, label)"),
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"contract {side}: {e.Message}", e);
        }
    }

    private static int? Size(JsonElement json, string key)
        => json.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetInt32() : null;

    private static ArcDType? DType(JsonElement json)
    {
        if (!json.TryGetProperty("dtype", out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return ArcDTypes.TryParse(v.GetString(), out var d) ? d : throw new FormatException($"'{v.GetString()}' is not a dtype");
    }

    private static string[] Names(JsonElement json) => json.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray();
}
