using Arc.Types;
using Microsoft.Extensions.Logging;

namespace Arc.Sdk;

/// <summary>
/// The inference protocol for model <typeparamref name="TModel"/>, written once: the generator derives
/// <c>MyModel.InferenceModule</c> from it for every <c>[Model]</c>, passing only the registration. It loads a
/// <see cref="ModelDirectory"/> (<c>model.json</c>, <c>hyperparameters.msgpack</c>, <c>weights.bin</c>), decodes and encodes through <see cref="ContentCodecs"/> (with the model's X contract
/// to size images), and joins and splits batches for dynamic batching. Override any step to change it.
/// </summary>
/// <typeparam name="TModel">The model class.</typeparam>
/// <typeparam name="X">Its input type.</typeparam>
/// <typeparam name="Y">Its output type.</typeparam>
public abstract class InferenceModule<TModel, X, Y> : IBatchingInferenceModule
    where TModel : class, ISupervisedModel<X, Y>
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly ClassRegistration _registration;

    /// <summary>Called by generated code with the model's registration.</summary>
    protected InferenceModule(ClassRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.Type != typeof(TModel))
            throw new ArgumentException($"{registration} is not the registration of {typeof(TModel).Name}", nameof(registration));
        _registration = registration;
    }

    /// <inheritdoc />
    public string Name => _registration.Name;

    /// <inheritdoc />
    public Type InputType => typeof(X);

    /// <inheritdoc />
    public Type OutputType => typeof(Y);

    /// <summary>The contract the model states; serving checks inputs against its X and sizes decoded images by it.</summary>
    public DataContract Contract => _registration.Contract;

    /// <inheritdoc />
    public IReadOnlyList<string> InputContentTypes => ContentCodecs.Readable<X>();

    /// <inheritdoc />
    public IReadOnlyList<string> OutputContentTypes => ContentCodecs.Writable<Y>();

    /// <inheritdoc />
    public object Load(string modelDir, ILogger? logger = null) => LoadModel(modelDir, logger);

    /// <summary>
    /// Creates the model from the directory's hyperparameters and loads its weights (<see cref="ModelDirectory"/>, what
    /// training writes), after checking that the directory holds this model.
    /// </summary>
    /// <exception cref="InvalidDataException">The directory holds another model or is incomplete.</exception>
    public virtual TModel LoadModel(string modelDir, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDir);
        var info = ModelDirectory.ReadInfo(modelDir);
        if (info.Model != Name)
            throw new InvalidDataException($"{Path.GetFullPath(modelDir)} holds model '{info.Model}' ({info.Type}), not '{Name}'");
        byte[] hyperparameters = ReadRequired(modelDir, ModelDirectory.HyperparametersFile);
        var created = (TModel)_registration.CreateFromWire(hyperparameters);
        try
        {
            using var weights = File.OpenRead(RequiredPath(modelDir, ModelDirectory.WeightsFile));
            created.LoadWeightsAsync(weights).AsTask().GetAwaiter().GetResult();
        }
        catch
        {
            (created as IDisposable)?.Dispose();
            throw;
        }
        logger?.LogInformation("loaded model {Model} ({X} -> {Y}) from {Directory}", Name, X.WireTag, Y.WireTag, Path.GetFullPath(modelDir));
        return created;
    }

    /// <inheritdoc />
    public object Deserialize(ReadOnlyMemory<byte> data, string contentType = ContentTypes.OctetStream) => DeserializeInput(data, contentType);

    /// <summary>Decodes an input of <paramref name="contentType"/> and checks it against the model's X contract.</summary>
    /// <exception cref="UnsupportedContentTypeException">No codec reads <paramref name="contentType"/> as <typeparamref name="X"/>.</exception>
    /// <exception cref="ArcFormatException">The bytes, or the decoded value against the contract, are not valid.</exception>
    public virtual X DeserializeInput(ReadOnlyMemory<byte> data, string contentType)
    {
        var input = ContentCodecs.Read<X>(data, contentType, Contract.X);
        if (Contract.X?.Mismatch(input) is { } mismatch)
            throw new ArcFormatException($"input does not fit the model's contract ({Contract.X}): {mismatch}");
        return input;
    }

    /// <inheritdoc />
    public object Predict(object input, object model) => PredictOutput(Cast<X>(input, nameof(input)), Cast<TModel>(model, nameof(model)));

    /// <summary>Runs the model (synchronously: a <see cref="SupervisedModel{X, Y}"/> predicts on the calling thread).</summary>
    public virtual Y PredictOutput(X input, TModel model)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(model);
        return model is SupervisedModel<X, Y> local ? local.Predict(input) : model.PredictAsync(input).AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public (byte[] Bytes, string ContentType) Serialize(object output, string accepted = ContentTypes.Any) => SerializeOutput(Cast<Y>(output, nameof(output)), accepted);

    /// <summary>Encodes <paramref name="output"/> in the best content type <paramref name="accepted"/> allows (JSON for <c>*/*</c>).</summary>
    public virtual (byte[] Bytes, string ContentType) SerializeOutput(Y output, string accepted) => ContentCodecs.Write(output, accepted);

    /// <inheritdoc />
    public int RowsOf(object data) => data is IArcData batch ? batch.Count : throw new ArgumentException($"{data?.GetType().Name ?? "null"} is not Arc data", nameof(data));

    /// <inheritdoc />
    public object ConcatInputs(IReadOnlyList<object> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Count == 1 ? inputs[0] : X.Concat(inputs.Select(i => Cast<X>(i, nameof(inputs))).ToArray());
    }

    /// <inheritdoc />
    public object SliceOutput(object output, int start, int count) => Cast<Y>(output, nameof(output)).Slice(start, count);

    /// <inheritdoc />
    public override string ToString() => $"inference module of {_registration}";

    private static T Cast<T>(object value, string name) where T : class
        => value as T ?? throw new ArgumentException($"expected {typeof(T).Name}, got {value?.GetType().Name ?? "null"}", name);

    private static string RequiredPath(string directory, string file)
    {
        string path = Path.Combine(directory, file);
        return File.Exists(path) ? path : throw new InvalidDataException($"{Path.GetFullPath(directory)} is an incomplete model directory: {file} is missing");
    }

    private static byte[] ReadRequired(string directory, string file) => File.ReadAllBytes(RequiredPath(directory, file));
}
