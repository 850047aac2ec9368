using System.Text.Json;
using System.Text.Json.Serialization;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>What <c>model.json</c> in a model directory says about the trained model.</summary>
public sealed record TrainedModelInfo
{
    /// <summary>The model's registered name (<see cref="ArcRegistry.FindModel"/>), which loading looks up.</summary>
    public required string Model { get; init; }

    /// <summary>The model class's full name.</summary>
    public required string Type { get; init; }

    /// <summary>The job it was trained on (registered name).</summary>
    public required string Job { get; init; }

    /// <summary>The hyperparameters, as JSON for people and tools (the wire form is <see cref="ModelDirectory.HyperparametersFile"/>).</summary>
    public JsonElement? Hyperparameters { get; init; }

    /// <summary>The job's parameters, as JSON.</summary>
    public JsonElement? JobParameters { get; init; }

    /// <summary>Epochs completed.</summary>
    public int Epochs { get; init; }

    /// <summary>Steps (batches) fitted.</summary>
    public long Steps { get; init; }

    /// <summary>Samples fitted.</summary>
    public long Samples { get; init; }

    /// <summary>The last epoch's mean loss (absent when it is not a number).</summary>
    public double? LastEpochLoss { get; init; }

    /// <summary>Whether the time budget ended training.</summary>
    public bool StoppedByBudget { get; init; }
}

/// <summary>
/// The model directory a generated <see cref="ITrainingModule"/> writes and a serving module loads (seed 004's
/// <c>model_dir</c>): <c>model.json</c> (<see cref="TrainedModelInfo"/>), <c>hyperparameters.msgpack</c> (the
/// hyperparameter record's wire form) and <c>weights.bin</c> (<see cref="ISupervisedModel{X,Y}.SaveWeightsAsync"/>).
/// </summary>
public static class ModelDirectory
{
    /// <summary>The description file.</summary>
    public const string InfoFile = "model.json";

    /// <summary>The hyperparameters' wire form.</summary>
    public const string HyperparametersFile = "hyperparameters.msgpack";

    /// <summary>The weights.</summary>
    public const string WeightsFile = "weights.bin";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="model"/>'s hyperparameters, weights and <paramref name="info"/> into <paramref name="directory"/> (created when missing).</summary>
    public static async Task SaveAsync<X, Y>(string directory, TrainedModelInfo info, byte[] hyperparametersWire, ISupervisedModel<X, Y> model,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(hyperparametersWire);
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        var weights = new FileStream(Path.Combine(directory, WeightsFile), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (weights.ConfigureAwait(false))
        {
            await model.SaveWeightsAsync(weights, cancellationToken).ConfigureAwait(false);
            weights.Flush(flushToDisk: true);
        }
        await File.WriteAllBytesAsync(Path.Combine(directory, HyperparametersFile), hyperparametersWire, cancellationToken).ConfigureAwait(false);
        // Last: a directory with model.json is complete.
        await File.WriteAllBytesAsync(Path.Combine(directory, InfoFile), JsonSerializer.SerializeToUtf8Bytes(info, Json), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads <c>model.json</c>.</summary>
    /// <exception cref="InvalidDataException">It is missing or not valid.</exception>
    public static TrainedModelInfo ReadInfo(string directory)
    {
        string path = Path.Combine(directory, InfoFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{directory} is not a trained model directory: it has no {InfoFile} (train into it with `arc train`)");
        try
        {
            return JsonSerializer.Deserialize<TrainedModelInfo>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException($"{path} is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid {InfoFile}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Creates the model <c>model.json</c> names (registered by an assembly already loaded) from its saved
    /// hyperparameters and loads its weights.
    /// </summary>
    /// <exception cref="InvalidDataException">The directory is incomplete or names a model that is not registered, or one of other X/Y.</exception>
    public static async Task<ISupervisedModel<X, Y>> LoadAsync<X, Y>(string directory, CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        var info = ReadInfo(directory);
        var registration = ArcRegistry.FindModel(info.Model)
            ?? throw new InvalidDataException($"{directory} holds model '{info.Model}' ({info.Type}), which no loaded assembly registers");
        var created = registration.CreateFromWire(await File.ReadAllBytesAsync(Path.Combine(directory, HyperparametersFile), cancellationToken).ConfigureAwait(false));
        if (created is not ISupervisedModel<X, Y> model)
            throw new InvalidDataException($"{directory} holds {registration}, not a model of {typeof(X).Name} -> {typeof(Y).Name}");
        var weights = File.OpenRead(Path.Combine(directory, WeightsFile));
        await using (weights.ConfigureAwait(false))
            await model.LoadWeightsAsync(weights, cancellationToken).ConfigureAwait(false);
        return model;
    }
}
