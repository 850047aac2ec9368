using Arc.Hosting;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The registration of a <c>[Model]</c> or <c>[Job]</c> class as hosts see it, with no generics: its X and Y, the
/// generated record of its constructor's arguments (a model's hyperparameters, a job's parameters) and how to create
/// it, serve it or deploy it from that record's wire form. The typed registration is
/// <see cref="ClassRegistration{TClass, TParameters, TDeployed}"/>.
/// </summary>
public abstract class ClassRegistration : ArcRegistration
{
    private protected ClassRegistration(ArcKind kind, string name, Type type, Type inputType, Type outputType, Type parametersType)
        : base(kind, name, type)
    {
        InputType = inputType;
        OutputType = outputType;
        ParametersType = parametersType;
    }

    /// <summary>The input (X) data type.</summary>
    public Type InputType { get; }

    /// <summary>The output (Y) data type: what a model returns, a job's targets.</summary>
    public Type OutputType { get; }

    /// <summary>The generated record of the constructor's arguments (<c>TModel.Hyperparameters</c>, <c>TJob.Parameters</c>).</summary>
    public Type ParametersType { get; }

    /// <summary>
    /// The contract the class states with its attributes (<c>[ImageContract]</c>, <c>[TableContract]</c>, …), set by
    /// the generator; <see cref="DataContract.None"/> when it states none. Hosts and tools (the command line, serving)
    /// read it here without creating the class.
    /// </summary>
    public DataContract Contract
    {
        get => _contract;
        init => _contract = value ?? throw new ArgumentNullException(nameof(value));
    }

    private readonly DataContract _contract = DataContract.None;

    /// <summary>The default (hyper)parameters in their wire form (a MessagePack map); a fresh copy on every call.</summary>
    public abstract byte[] DefaultParametersWire { get; }

    /// <summary>Creates the model or job from (hyper)parameters in their wire form; missing keys take their defaults.</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid map for this class.</exception>
    public abstract object CreateFromWire(ReadOnlyMemory<byte> parameters);

    /// <summary>
    /// Creates the model or job from (hyper)parameters in their wire form and returns what a worker host serves for it
    /// (<c>arc.Model</c> or <c>arc.Job</c>), owning it: pass it to
    /// <see cref="ArcWorkerHost.StartAsync(WorkerService, ArcWorkerOptions?, CancellationToken)"/>, which frees the
    /// instance when the host stops. This is what a worker process does.
    /// </summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid map for this class.</exception>
    public abstract WorkerService CreateService(ReadOnlyMemory<byte> parameters);

    /// <summary>
    /// Deploys the class found by name (<c>ArcRegistry.GetModel(name)</c>) on <paramref name="target"/> from
    /// (hyper)parameters in their wire form, as what the caller names: <c>IDeployedModel&lt;X, Y&gt;</c> for a model,
    /// <c>IDeployedJob&lt;X, Y&gt;</c> for a job, with the class's own X and Y. The bytes are read first, so bad ones fail
    /// before anything starts.
    /// </summary>
    /// <exception cref="InvalidOperationException">The class deploys as another type (another kind, or other X or Y).</exception>
    /// <exception cref="ArcFormatException">The bytes are not a valid map for this class.</exception>
    public ValueTask<TDeployed> DeployFromWireAsync<TDeployed>(Target target, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken = default)
        where TDeployed : class
        => this is IDeploysAs<TDeployed> typed
            ? typed.DeployFromWireAsync(target, parameters, cancellationToken)
            : throw new InvalidOperationException($"{this} cannot be deployed as {ClientNames.Readable(typeof(TDeployed))}: it deploys as {ClientNames.Readable(DeployedType)}");

    /// <summary>Reads (hyper)parameters from their wire form without creating anything (to refuse bad ones early).</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid map for this class.</exception>
    internal abstract void CheckParameters(ReadOnlyMemory<byte> parameters);

    /// <summary>What <see cref="DeployFromWireAsync{TDeployed}"/> returns for this class.</summary>
    private protected abstract Type DeployedType { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind.Word()} '{Name}' ({Type.FullName}: {InputType.Name} -> {OutputType.Name})";
}

/// <summary>The typed half of <see cref="ClassRegistration.DeployFromWireAsync{TDeployed}"/>.</summary>
internal interface IDeploysAs<TDeployed>
{
    ValueTask<TDeployed> DeployFromWireAsync(Target target, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken);
}
