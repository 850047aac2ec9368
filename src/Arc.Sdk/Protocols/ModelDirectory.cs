using System.Text.Json;
using Arc.Artifacts;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The model directory of seed 004 as Arc writes it: what training leaves in <c>model_dir</c> and an
/// <see cref="IInferenceModule"/> loads. Three files: <c>arc-model.json</c> (the registered name and the X/Y wire tags),
/// <c>hyperparameters.msgpack</c> (the generated record's wire form) and <c>weights.bin</c> (<c>SaveWeights</c>).
/// Other files in the directory (logs, TensorBoard events) are left alone.
/// </summary>
public static class ModelDirectory
{
    /// <summary>The description file.</summary>
    public const string DescriptionFile = "arc-model.json";

    /// <summary>The hyperparameters in their wire form.</summary>
    public const string HyperparametersFile = "hyperparameters.msgpack";

    /// <summary>The learned weights.</summary>
    public const string WeightsFile = "weights.bin";

    /// <summary>
    /// Writes <paramref name="model"/> (created from <paramref name="hyperparameters"/>) into <paramref name="directory"/>,
    /// e.g. at the end of <c>ITrainingModule.Train</c>: <c>ModelDirectory.SaveAsync(MyModel.Registration, model, hp, modelDir)</c>.
    /// Each file is written whole and fsynced before it replaces an older one.
    /// </summary>
    public static async Task SaveAsync<TModel, THyperparameters, X, Y>(ModelRegistration<TModel, THyperparameters, X, Y> registration,
        ISupervisedModel<X, Y> model, THyperparameters hyperparameters, string directory, CancellationToken cancellationToken = default)
        where TModel : class, ISupervisedModel<X, Y>
        where THyperparameters : class
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        using var weights = new MemoryStream();
        await model.SaveWeightsAsync(weights, cancellationToken).ConfigureAwait(false);
        var description = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["model"] = registration.Name,
            ["x"] = X.WireTag,
            ["y"] = Y.WireTag,
        }, new JsonSerializerOptions { WriteIndented = true });
        await WriteAsync(Path.Combine(directory, WeightsFile), weights.ToArray(), cancellationToken).ConfigureAwait(false);
        await WriteAsync(Path.Combine(directory, HyperparametersFile), registration.WriteParameters(hyperparameters), cancellationToken).ConfigureAwait(false);
        await WriteAsync(Path.Combine(directory, DescriptionFile), description, cancellationToken).ConfigureAwait(false);
    }

    // Whole file to a temporary name, fsynced, then renamed over the old one: a crash leaves the old file or the new one.
    private static async Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await DurableFile.WriteNewAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
        DurableFile.Publish(temporary, path, overwrite: true);
    }

    /// <summary>The registered model name <paramref name="directory"/> holds (from <c>arc-model.json</c>).</summary>
    /// <exception cref="InvalidDataException">The directory holds no Arc model or its description is malformed.</exception>
    public static string ModelNameOf(string directory) => ReadDescription(directory).Model;

    internal static (string Model, string X, string Y) ReadDescription(string directory)
    {
        string path = Path.Combine(directory, DescriptionFile);
        if (!File.Exists(path))
            throw new InvalidDataException($"{Path.GetFullPath(directory)} is not an Arc model directory: it has no {DescriptionFile} (write one with ModelDirectory.SaveAsync)");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            string Field(string name) => document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw new InvalidDataException($"{path} has no string field '{name}'");
            return (Field("model"), Field("x"), Field("y"));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
