using System.Globalization;
using System.Text.Json;

namespace Arc.Sdk;

/// <summary>
/// The garbage collector's settings a worker process needs. A worker decodes every batch into arrays that live for one
/// step; up to 2 MiB (MNIST's 64 digits are 200 KiB) they belong in generation 0, not on the large object heap, whose
/// memory the GC commits and returns around every step (docs/performance.md, "Where a worker step's time went").
/// <c>Arc.Worker</c>'s own runtimeconfig.json says so, but a worker started from the Arc.Sdk package runs with a copy of
/// the program's runtimeconfig.json (Arc.Sdk.targets), which does not; the environment variable carries the setting
/// there. A threshold the caller's environment or the worker's runtimeconfig.json already chose is left as it is.
/// </summary>
internal static class WorkerGcSettings
{
    /// <summary>The variable the runtime reads for <c>System.GC.LOHThreshold</c> (a hexadecimal byte count).</summary>
    public const string LargeObjectThresholdVariable = "DOTNET_GCLOHThreshold";

    /// <summary>Arrays smaller than this many bytes are allocated in generation 0.</summary>
    public const int LargeObjectThreshold = 2 * 1024 * 1024;

    private const string LegacyVariable = "COMPlus_GCLOHThreshold";
    private const string ConfigProperty = "System.GC.LOHThreshold";

    /// <summary>Adds the threshold to <paramref name="environment"/>, the environment of the worker <paramref name="workerPath"/>, unless one is chosen already.</summary>
    public static void Apply(IDictionary<string, string?> environment, string workerPath)
    {
        if (Missing(environment.Keys, workerPath) is { } variable) environment[variable.Key] = variable.Value;
    }

    /// <summary>
    /// The variable that gives the worker <paramref name="workerPath"/> the threshold, or null when one of
    /// <paramref name="variablesSet"/> (the names its environment will hold) or its runtimeconfig.json chooses one.
    /// </summary>
    public static KeyValuePair<string, string>? Missing(IEnumerable<string> variablesSet, string workerPath)
    {
        if (variablesSet.Any(name => name is LargeObjectThresholdVariable or LegacyVariable)) return null;
        if (RuntimeConfigSetsThreshold(Path.ChangeExtension(workerPath, ".runtimeconfig.json"))) return null;
        return new(LargeObjectThresholdVariable, "0x" + LargeObjectThreshold.ToString("x", CultureInfo.InvariantCulture));
    }

    private static bool RuntimeConfigSetsThreshold(string runtimeConfigPath)
    {
        try
        {
            using var config = JsonDocument.Parse(File.ReadAllBytes(runtimeConfigPath));
            return config.RootElement.ValueKind == JsonValueKind.Object
                && config.RootElement.TryGetProperty("runtimeOptions", out var options) && options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("configProperties", out var properties) && properties.ValueKind == JsonValueKind.Object
                && properties.TryGetProperty(ConfigProperty, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return false; // no readable runtimeconfig: the runtime will not find one either, and the variable does no harm
        }
    }
}
