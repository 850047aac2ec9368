using System.Globalization;
using System.Text.Json;

namespace Arc.Models;

/// <summary>
/// Doubles in meta.json: finite values as JSON numbers (round-trip precision), NaN and ±infinity — a loss can be
/// either — as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>, which JSON has no number for.
/// </summary>
internal static class JsonNumbers
{
    public static void Write(Utf8JsonWriter json, string name, double value)
    {
        json.WritePropertyName(name);
        Write(json, value);
    }

    public static void Write(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value)) json.WriteNumberValue(value);
        else json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <exception cref="FormatException">Neither a number nor one of the three strings.</exception>
    public static double Read(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String when element.GetString() is "NaN" => double.NaN,
        JsonValueKind.String when element.GetString() is "Infinity" => double.PositiveInfinity,
        JsonValueKind.String when element.GetString() is "-Infinity" => double.NegativeInfinity,
        _ => throw new FormatException($"{element.GetRawText()} is not a number"),
    };
}
