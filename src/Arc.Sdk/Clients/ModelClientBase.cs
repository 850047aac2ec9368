using Arc.Artifacts;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// What every generated <c>MyModel.Client</c> is: the typed client of a model started on a <see cref="Sdk.Target"/> by
/// <c>MyModel.DeployAsync</c> or <c>MyModel.DevelopAsync</c>. It makes the same <see cref="ISupervisedModel{X, Y}"/>
/// calls as the local class, forwarded to what the target deployed (the object itself, a worker on loopback, a child
/// process, a pod), and releases it on <see cref="ArcClientBase{TClass, TParameters, TDeployed}.DisposeAsync"/>. The generated class adds nothing but its constructor:
/// everything a call goes through is here, hand-written, to read and step into.
/// </summary>
/// <typeparam name="TModel">The <c>[Model]</c> class.</typeparam>
/// <typeparam name="THyperparameters">Its generated hyperparameter record.</typeparam>
/// <typeparam name="X">What the model takes.</typeparam>
/// <typeparam name="Y">What the model returns.</typeparam>
public abstract class ModelClientBase<TModel, THyperparameters, X, Y> : ArcClientBase<TModel, THyperparameters, IDeployedModel<X, Y>>,
    IDeployedModel<X, Y>, IDeviceInfo, IContractInfo, IAsyncOptimizerState
    where TModel : class, ISupervisedModel<X, Y>
    where THyperparameters : class
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    /// <summary>Wraps what <paramref name="target"/> deployed; the client owns it from now on.</summary>
    /// <param name="registration">The model's generated registration (<c>MyModel.Registration</c>).</param>
    /// <param name="deployed">
    /// What the target deployed, which every call goes to: e.g. a <see cref="RemoteModel{X, Y}"/> (for calls with
    /// deadlines) or, after <c>DevelopAsync</c>, a <see cref="DevelopModel{X, Y}"/>.
    /// </param>
    /// <param name="target">Where it runs.</param>
    /// <param name="hyperparameters">What the model was created with.</param>
    protected ModelClientBase(ModelRegistration<TModel, THyperparameters, X, Y> registration, IDeployedModel<X, Y> deployed,
        Target target, THyperparameters hyperparameters)
        : base(registration, deployed, target, hyperparameters)
    {
    }

    /// <summary>The hyperparameters the model was created with.</summary>
    public THyperparameters Hyperparameters => CreatedWith;

    /// <summary>
    /// The id of the worker process the model runs in, for <see cref="Sdk.Target.LocalProcess"/> and develop mode (the
    /// same across reloads); null when the model runs in this process (in process, loopback) or on another machine (a pod).
    /// </summary>
    public int? WorkerProcessId => (Deployed as IWorkerProcess)?.ProcessId;

    /// <summary>
    /// The address of the worker the model runs in, for <see cref="Sdk.Target.LocalProcess"/> and develop mode, so that
    /// a client in another language can call it (with <see cref="IWorkerProcess.Token"/>); null otherwise.
    /// </summary>
    public Uri? WorkerEndpoint => (Deployed as IWorkerProcess)?.Endpoint;

    /// <summary>
    /// The model's contract, stated by its attributes (<c>MyModel.Registration.Contract</c>); every call is checked
    /// against it before it reaches the model (docs/data-types.md, "Contracts").
    /// </summary>
    public DataContract Contract => Registration.Contract.IsEmpty ? DataContract.Of(Deployed) : Registration.Contract;

    /// <summary>
    /// In process (<see cref="Sdk.Target.InProcess"/>): whether calls are checked against <see cref="Contract"/> before
    /// they reach the model (default true); turn it off for speed where the inputs are known to fit. Elsewhere the
    /// worker checks every call whatever this says, and the client before sending.
    /// </summary>
    /// <exception cref="NotSupportedException">Set on a model that does not run in process.</exception>
    public bool ChecksContract
    {
        get => Deployed is not InProcessModel<X, Y> inProcess || inProcess.ChecksContract;
        set
        {
            if (Deployed is InProcessModel<X, Y> inProcess) inProcess.ChecksContract = value;
            else if (!value) throw new NotSupportedException($"{Target} checks contracts on the worker; only an in-process model can skip the check");
        }
    }

    /// <summary>Whether the model runs in develop mode (started by <c>DevelopAsync</c>), so that <see cref="ReloadAsync"/> and <see cref="Watch"/> work.</summary>
    public bool IsDevelopMode => Deployed is DevelopModel<X, Y>;

    /// <inheritdoc />
    public string Name => Deployed.Name;

    /// <summary>Where the model computes (e.g. <c>cpu</c>, <c>cuda:0</c>) as the deployed model reports it; <c>unknown</c> when it does not say.</summary>
    public string DeviceName => Deployed is IDeviceInfo device ? device.DeviceName : "unknown";

    /// <inheritdoc />
    public ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default)
        => Deployed.FitAsync(x, y, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<FitResult> FitBatchesAsync(IAsyncEnumerable<Batch<X, Y>> batches, CancellationToken cancellationToken = default)
        => Deployed.FitBatchesAsync(batches, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default)
        => Deployed.PredictAsync(x, cancellationToken);

    /// <inheritdoc />
    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
        => Deployed.SaveWeightsAsync(destination, cancellationToken);

    /// <inheritdoc />
    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
        => Deployed.LoadWeightsAsync(source, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TrySaveOptimizerStateAsync(Stream destination, CancellationToken cancellationToken = default)
        => OptimizerStates.TrySaveAsync(Deployed, destination, cancellationToken);

    /// <inheritdoc />
    public ValueTask LoadOptimizerStateAsync(Stream source, CancellationToken cancellationToken = default)
        => OptimizerStates.LoadAsync(Deployed, Name, source, cancellationToken);

    /// <summary>
    /// Saves this model as an OCI artifact (weights, its hyperparameters, X/Y types and code bundle) into
    /// <paramref name="repository"/> (default: the local OCI layout) and returns its reference, which any process can
    /// connect to (<see cref="SavedModel"/>).
    /// </summary>
    /// <param name="repository">Where to save: a registry repository or an <c>oci-layout:</c> folder; null for the default.</param>
    /// <param name="evaluation">An evaluation report to keep with the model, or null.</param>
    /// <param name="signingKey">A key to sign the artifact with (the signature is pushed next to it), or null.</param>
    /// <param name="registryOptions">How to reach a registry (plain HTTP for non-loopback hosts), or null.</param>
    /// <param name="cancellationToken">Cancels saving.</param>
    public Task<ArtifactReference> SaveAsync(ArtifactReference? repository = null, EvalReport? evaluation = null,
        ArtifactSigningKey? signingKey = null, OciRegistryOptions? registryOptions = null, CancellationToken cancellationToken = default)
        => Registration.SaveAsync(this, Hyperparameters, repository, evaluation, registryOptions, signingKey, cancellationToken);

    /// <summary>
    /// In develop mode: sends what changed in the build folder and makes the worker serve the rebuilt code, in the same
    /// process (see <see cref="DevelopModel{X, Y}.ReloadAsync"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model was started with <c>DeployAsync</c>, not <c>DevelopAsync</c>.</exception>
    /// <exception cref="ArcReloadException">The reload failed; the worker serves no model until one succeeds.</exception>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default) => Develop.ReloadAsync(cancellationToken);

    /// <summary>
    /// In develop mode: reloads by itself whenever the build folder changes (see <see cref="DevelopModel{X, Y}.Watch"/>);
    /// dispose the result to stop watching.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model was started with <c>DeployAsync</c>, not <c>DevelopAsync</c>.</exception>
    public IDisposable Watch(Action<ReloadResult>? reloaded = null, Action<Exception>? failed = null, TimeSpan? quiet = null)
        => Develop.Watch(reloaded, failed, quiet);

    private DevelopModel<X, Y> Develop => Deployed as DevelopModel<X, Y>
        ?? throw new InvalidOperationException(
            $"{ClientNames.Of(typeof(TModel))} on {Target} was started with DeployAsync, which runs the code as built: " +
            $"start it with {typeof(TModel).Name}.DevelopAsync(Target.LocalProcess, ...) to reload rebuilt code");
}
