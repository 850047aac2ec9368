using MessagePack.Formatters;
using Arc.Artifacts;
using Arc.Hosting;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// What the generator registers for one <c>[Model]</c> class: its name, its types, and how to create it from
/// hyperparameters in their wire form. Hosts (workers, the command line) use this view; it needs no generics.
/// </summary>
public abstract class ModelRegistration
{
    private protected ModelRegistration(string name) => Name = RegistrationNames.Check(name, "model");

    /// <summary>The model's registered name (<c>[Model(Name = ...)]</c>, or the class name in lower case).</summary>
    public string Name { get; }

    /// <summary>The model class.</summary>
    public abstract Type ModelType { get; }

    /// <summary>The input (X) data type.</summary>
    public abstract Type InputType { get; }

    /// <summary>The output (Y) data type.</summary>
    public abstract Type OutputType { get; }

    /// <summary>The generated hyperparameter record (<c>TModel.Hyperparameters</c>).</summary>
    public abstract Type HyperparametersType { get; }

    /// <summary>The default hyperparameters in their wire form (a MessagePack map); a fresh copy on every call.</summary>
    public abstract byte[] DefaultHyperparametersWire { get; }

    /// <summary>Creates the model from hyperparameters in their wire form; missing keys take their defaults.</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid hyperparameter map for this model.</exception>
    public abstract object CreateFromWire(ReadOnlyMemory<byte> hyperparameters);

    /// <summary>Reads hyperparameters from their wire form without creating the model (to refuse bad ones early).</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid hyperparameter map for this model.</exception>
    internal abstract void CheckHyperparameters(ReadOnlyMemory<byte> hyperparameters);

    /// <summary>
    /// Creates the model from hyperparameters in their wire form and serves it behind an <see cref="Arc.Hosting.ArcWorkerHost"/>
    /// (what a worker process does); typed inside, so hosts need no generics. Dispose the result to stop and free it.
    /// </summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid hyperparameter map for this model.</exception>
    public abstract Task<ModelServer> ServeAsync(Arc.Hosting.ArcWorkerOptions? options, ReadOnlyMemory<byte> hyperparameters,
        CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public override string ToString() => $"model '{Name}' ({ModelType.FullName}: {InputType.Name} -> {OutputType.Name})";
}

/// <summary>The typed registration of model <typeparamref name="TModel"/> with hyperparameters <typeparamref name="THyperparameters"/>.</summary>
/// <typeparam name="TModel">The model class.</typeparam>
/// <typeparam name="THyperparameters">Its generated hyperparameter record.</typeparam>
/// <typeparam name="X">Input data type.</typeparam>
/// <typeparam name="Y">Output data type.</typeparam>
public sealed class ModelRegistration<TModel, THyperparameters, X, Y> : ModelRegistration
    where TModel : class, ISupervisedModel<X, Y>
    where THyperparameters : class
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly Func<THyperparameters, TModel> _factory;

    /// <summary>Called by generated code.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="factory">Creates the model (calls its public constructor).</param>
    /// <param name="formatter">The generated hyperparameter formatter.</param>
    /// <param name="defaults">The hyperparameters with every default.</param>
    public ModelRegistration(string name, Func<THyperparameters, TModel> factory, IMessagePackFormatter<THyperparameters> formatter, THyperparameters defaults)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(formatter);
        ArgumentNullException.ThrowIfNull(defaults);
        _factory = factory;
        HyperparametersFormatter = formatter;
        Defaults = defaults;
    }

    /// <summary>The hyperparameters with every default.</summary>
    public THyperparameters Defaults { get; }

    /// <summary>Reads and writes <typeparamref name="THyperparameters"/> as a MessagePack map keyed by parameter name.</summary>
    public IMessagePackFormatter<THyperparameters> HyperparametersFormatter { get; }

    /// <inheritdoc />
    public override Type ModelType => typeof(TModel);

    /// <inheritdoc />
    public override Type InputType => typeof(X);

    /// <inheritdoc />
    public override Type OutputType => typeof(Y);

    /// <inheritdoc />
    public override Type HyperparametersType => typeof(THyperparameters);

    /// <inheritdoc />
    public override byte[] DefaultHyperparametersWire => WriteHyperparameters(Defaults);

    /// <summary>Creates the model from <paramref name="hyperparameters"/>.</summary>
    public TModel Create(THyperparameters hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        return _factory(hyperparameters);
    }

    /// <summary>The wire form of <paramref name="hyperparameters"/>.</summary>
    public byte[] WriteHyperparameters(THyperparameters hyperparameters) => WireFormat.Serialize(HyperparametersFormatter, hyperparameters);

    /// <summary>Reads hyperparameters from their wire form.</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid hyperparameter map for this model.</exception>
    public THyperparameters ReadHyperparameters(ReadOnlyMemory<byte> wire)
        => WireFormat.Deserialize(HyperparametersFormatter, wire, $"hyperparameters of model '{Name}'");

    /// <inheritdoc />
    public override object CreateFromWire(ReadOnlyMemory<byte> hyperparameters) => Create(ReadHyperparameters(hyperparameters));

    internal override void CheckHyperparameters(ReadOnlyMemory<byte> hyperparameters) => ReadHyperparameters(hyperparameters);

    /// <inheritdoc />
    public override Task<ModelServer> ServeAsync(Arc.Hosting.ArcWorkerOptions? options, ReadOnlyMemory<byte> hyperparameters,
        CancellationToken cancellationToken = default)
        => ModelServer.StartAsync<X, Y>(
            Create(ReadHyperparameters(hyperparameters)) ?? throw new InvalidOperationException($"the factory of model '{Name}' returned null"),
            options, cancellationToken);
}
