using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arc.CommandLine;

/// <summary>The JSON settings of every file in a run folder: snake_case keys, enums as names, NaN allowed.</summary>
internal static class RunJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
