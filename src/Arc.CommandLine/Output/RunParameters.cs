namespace Arc.CommandLine;

/// <summary>The keys of <see cref="RunStarted.Parameters"/>: the training settings, and each model and job parameter under a prefix.</summary>
internal static class RunParameters
{
    public const string Epochs = "epochs";
    public const string BatchSize = "batch_size";
    public const string Seed = "seed";

    /// <summary>A model constructor parameter: <c>model.&lt;name&gt;</c>.</summary>
    public const string ModelPrefix = "model.";

    /// <summary>A job constructor parameter: <c>job.&lt;name&gt;</c>.</summary>
    public const string JobPrefix = "job.";

    /// <summary>The settings plus every model and job parameter value.</summary>
    public static Dictionary<string, object?> Of(int epochs, int batchSize, int seed, IReadOnlyDictionary<string, object?> model, IReadOnlyDictionary<string, object?> job)
    {
        var all = new Dictionary<string, object?>(StringComparer.Ordinal) { [Epochs] = epochs, [BatchSize] = batchSize, [Seed] = seed };
        foreach (var (name, value) in model) all[ModelPrefix + name] = value;
        foreach (var (name, value) in job) all[JobPrefix + name] = value;
        return all;
    }
}
