using MessagePack.Formatters;
using Arc.Hosting;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The typed registration of a <c>[Model]</c> or <c>[Job]</c> class <typeparamref name="TClass"/>: how to create it from
/// its generated record <typeparamref name="TParameters"/>, that record's wire form, and how to deploy it on a
/// <see cref="Target"/> as <typeparamref name="TDeployed"/>. Everything here is the same for models and jobs;
/// <see cref="ModelRegistration{TModel, THyperparameters, X, Y}"/> and <see cref="JobRegistration{TJob, TParameters, X, Y}"/>
/// add only what their kind is served and deployed as.
/// </summary>
/// <typeparam name="TClass">The model or job class.</typeparam>
/// <typeparam name="TParameters">Its generated record (<c>Hyperparameters</c>, <c>Parameters</c>).</typeparam>
/// <typeparam name="TDeployed">What deploying it returns (<c>IDeployedModel&lt;X, Y&gt;</c>, <c>IDeployedJob&lt;X, Y&gt;</c>).</typeparam>
public abstract class ClassRegistration<TClass, TParameters, TDeployed> : ClassRegistration, IDeploysAs<TDeployed>
    where TClass : class
    where TParameters : class
    where TDeployed : class
{
    private readonly Func<TParameters, TClass> _factory;
    private readonly IDeploymentKind<TClass, TDeployed> _deployment;

    private protected ClassRegistration(IDeploymentKind<TClass, TDeployed> deployment, string name, Type inputType, Type outputType,
        Func<TParameters, TClass> factory, IMessagePackFormatter<TParameters> formatter, TParameters defaults)
        : base(deployment.Kind, name, typeof(TClass), inputType, outputType, typeof(TParameters))
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(formatter);
        ArgumentNullException.ThrowIfNull(defaults);
        _deployment = deployment;
        _factory = factory;
        ParametersFormatter = formatter;
        Defaults = defaults;
    }

    /// <summary>The record with every default.</summary>
    public TParameters Defaults { get; }

    /// <summary>Reads and writes <typeparamref name="TParameters"/> as a MessagePack map keyed by parameter name.</summary>
    public IMessagePackFormatter<TParameters> ParametersFormatter { get; }

    /// <inheritdoc />
    public override byte[] DefaultParametersWire => WriteParameters(Defaults);

    /// <summary>Creates the class from <paramref name="parameters"/> (calls its public constructor).</summary>
    public TClass Create(TParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return _factory(parameters);
    }

    /// <summary>The wire form of <paramref name="parameters"/>.</summary>
    public byte[] WriteParameters(TParameters parameters) => WireFormat.Serialize(ParametersFormatter, parameters);

    /// <summary>Reads the record from its wire form; missing keys take their defaults.</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid map for this class.</exception>
    public TParameters ReadParameters(ReadOnlyMemory<byte> wire)
        => WireFormat.Deserialize(ParametersFormatter, wire, $"{Kind.ParametersWord()} of {Kind.Word()} '{Name}'");

    /// <inheritdoc />
    public override object CreateFromWire(ReadOnlyMemory<byte> parameters) => Create(ReadParameters(parameters));

    /// <inheritdoc />
    public override WorkerService CreateService(ReadOnlyMemory<byte> parameters)
        => _deployment.Serve(Create(ReadParameters(parameters))
            ?? throw new InvalidOperationException($"the factory of {Kind.Word()} '{Name}' returned null"));

    /// <summary>
    /// Creates the class from <paramref name="parameters"/> where <paramref name="target"/> runs it and returns it ready
    /// to use, e.g. <c>await MlpClassifier.Registration.DeployAsync(Target.LoopbackWorker, new(Hidden: 64))</c>: in this
    /// process, behind a worker on loopback, in a child process or a pod. The generated <c>MyModel.DeployAsync</c> calls this.
    /// </summary>
    public ValueTask<TDeployed> DeployAsync(Target target, TParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameters);
        return target.DeployCoreAsync(_deployment, () => Create(parameters), new RegisteredStart(this, () => WriteParameters(parameters)), cancellationToken);
    }

    /// <summary>
    /// As <see cref="DeployAsync"/>, with the record in its wire form (missing keys take their defaults), as a host
    /// receives it. The bytes are read here first, so bad ones fail at once, before anything starts.
    /// </summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid map for this class.</exception>
    public ValueTask<TDeployed> DeployFromWireAsync(Target target, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return DeployAsync(target, ReadParameters(parameters), cancellationToken);
    }

    internal override void CheckParameters(ReadOnlyMemory<byte> parameters) => ReadParameters(parameters);

    private protected override Type DeployedType => typeof(TDeployed);
}
