using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arc.CommandLine;

/// <summary>
/// config.json of a run folder: the model and job with every parameter value, the training settings and the input
/// shape. <c>--resume</c>, <c>eval</c> and <c>infer</c> rebuild the same model from it.
/// </summary>
internal sealed record RunConfig
{
    public const string FileName = "config.json";

    public required string Model { get; init; }
    public required string Job { get; init; }
    public required Dictionary<string, JsonElement> ModelParameters { get; init; }
    public required Dictionary<string, JsonElement> JobParameters { get; init; }
    public required int Epochs { get; init; }
    public required int BatchSize { get; init; }
    public required int Seed { get; init; }
    public int[]? InputShape { get; init; }
    public string? Created { get; init; }

    public static Dictionary<string, JsonElement> ToJson(ParameterValues values)
        => values.All.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value, kv.Value?.GetType() ?? typeof(object), RunJson.Options));

    /// <summary>Parameter values from config.json, typed by the catalog; a parameter the file lacks takes its default.</summary>
    public static ParameterValues FromJson(CommandLineTarget target, Dictionary<string, JsonElement> json, string path)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in target.Parameters)
        {
            try
            {
                values[p.Name] = json.TryGetValue(p.Name, out var element) ? element.Deserialize(p.ParameterType, RunJson.Options) : p.DefaultValue;
            }
            catch (JsonException e)
            {
                throw new CommandLineException($"{path}: parameter '{p.Name}' of {target.Name} is not a {TypeNames.Describe(p.ParameterType)}: {e.Message}");
            }
        }
        return new ParameterValues(values, target.Name);
    }

    public static RunConfig Read(string runFolder)
    {
        string path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
            throw new CommandLineException($"{runFolder} has no {FileName}; give a run folder written by train --output-dir, or a checkpoint inside one");
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(File.ReadAllText(path), RunJson.Options)
                ?? throw new CommandLineException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new CommandLineException($"{path} is not a run configuration: {e.Message}");
        }
    }

    public void Write(string runFolder)
        => File.WriteAllText(Path.Combine(runFolder, FileName), JsonSerializer.Serialize(this, RunJson.Indented) + "\n");
}
