using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Where a model, a job or pods run. One verb family starts them there: <c>DeployAsync</c> creates a model (or a job)
/// and returns an <see cref="IDeployedModel{X, Y}"/> (<see cref="IDeployedJob{X, Y}"/>) that the caller uses like the
/// local object and disposes when done; <see cref="DeployPodsAsync"/> starts a worker for <c>[Pod]</c> methods; and
/// develop mode (the generated <c>MyModel.DevelopAsync</c>, <see cref="ModelRegistrationDeployment"/>) starts a model
/// whose worker hot-reloads rebuilt code, on the targets that can (<see cref="LocalProcess"/> today). The code is the
/// same everywhere. Targets: <see cref="InProcess"/>, <see cref="LoopbackWorker"/>, <see cref="LocalProcess"/> and
/// <see cref="Kubernetes"/>.
/// </summary>
public abstract partial class Target
{
    private protected Target(string kind) => Kind = kind;

    /// <summary>No transport: the model object itself, called directly.</summary>
    public static Target InProcess { get; } = new InProcessTarget();

    /// <summary>
    /// The model in this process behind a real <see cref="ArcWorkerHost"/> on 127.0.0.1 (a free port), used through a
    /// <see cref="RemoteModel{X, Y}"/> over gRPC: every call crosses HTTP/2 and the wire form exactly as it would to a
    /// worker elsewhere. Disposing the deployed model closes the connection, stops the worker and disposes the model.
    /// </summary>
    public static Target LoopbackWorker { get; } = new LoopbackWorkerTarget();

    /// <summary>A short name of the target, e.g. <c>in-process</c> or <c>loopback-worker</c>.</summary>
    public string Kind { get; }

    /// <summary>
    /// Creates the model with <paramref name="factory"/> where this target runs models, and returns it ready to use.
    /// The deployed model owns the created one: dispose the deployed model, not the created one.
    /// </summary>
    public abstract ValueTask<IDeployedModel<X, Y>> DeployAsync<X, Y>(Func<ISupervisedModel<X, Y>> factory, CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>;

    /// <summary>
    /// Deploys a registered model. Targets that run models in this process call <paramref name="factory"/>; targets
    /// that start the model elsewhere (another process) send <paramref name="hyperparametersWire"/> there instead.
    /// </summary>
    internal virtual ValueTask<IDeployedModel<X, Y>> DeployRegisteredAsync<X, Y>(ModelRegistration registration,
        Func<ISupervisedModel<X, Y>> factory, Func<byte[]> hyperparametersWire, CancellationToken cancellationToken)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
        => DeployAsync(factory, cancellationToken);

    /// <summary>
    /// Creates the job with <paramref name="factory"/> where this target runs jobs, and returns it ready to use (stream,
    /// sample, evaluate). The deployed job owns the created one: dispose the deployed job, not the created one.
    /// </summary>
    public abstract ValueTask<IDeployedJob<X, Y>> DeployAsync<X, Y>(Func<ISupervisedJob<X, Y>> factory, CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>;

    /// <summary>
    /// Deploys a registered job. Targets that run jobs in this process call <paramref name="factory"/>; targets that
    /// start the job elsewhere (another process) send <paramref name="parametersWire"/> there instead.
    /// </summary>
    internal virtual ValueTask<IDeployedJob<X, Y>> DeployRegisteredAsync<X, Y>(JobRegistration registration,
        Func<ISupervisedJob<X, Y>> factory, Func<byte[]> parametersWire, CancellationToken cancellationToken)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
        => DeployAsync(factory, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Kind;

    private sealed class InProcessTarget() : Target("in-process")
    {
        public override ValueTask<PodWorker> DeployPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null, CancellationToken cancellationToken = default)
            => DeployInProcessPodsAsync(this, cancellationToken);

        public override ValueTask<IDeployedJob<X, Y>> DeployAsync<X, Y>(Func<ISupervisedJob<X, Y>> factory, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(factory);
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult<IDeployedJob<X, Y>>(new InProcessJob<X, Y>(CreateJob(factory)));
        }

        public override ValueTask<IDeployedModel<X, Y>> DeployAsync<X, Y>(Func<ISupervisedModel<X, Y>> factory, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(factory);
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult<IDeployedModel<X, Y>>(new InProcessModel<X, Y>(Create(factory)));
        }
    }

    private sealed class LoopbackWorkerTarget() : Target("loopback-worker")
    {
        public override async ValueTask<IDeployedJob<X, Y>> DeployAsync<X, Y>(Func<ISupervisedJob<X, Y>> factory, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(factory);
            var server = await JobServer.StartAsync(CreateJob(factory), cancellationToken: cancellationToken).ConfigureAwait(false);
            // Disposing the remote job stops the worker, then frees the job.
            return await RemoteJob<X, Y>.ConnectAsync(server.Address, server.ClientOptions, server, cancellationToken).ConfigureAwait(false);
        }

        public override ValueTask<PodWorker> DeployPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null, CancellationToken cancellationToken = default)
            => DeployLoopbackPodsAsync(this, pods, cancellationToken);

        public override async ValueTask<IDeployedModel<X, Y>> DeployAsync<X, Y>(Func<ISupervisedModel<X, Y>> factory, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(factory);
            var server = await ModelServer.StartAsync(Create(factory), cancellationToken: cancellationToken).ConfigureAwait(false);
            // Disposing the remote model stops the worker, then frees the model, so no call can reach a disposed model.
            return await RemoteModel<X, Y>.ConnectAsync(server.Address, server.ClientOptions, server, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ISupervisedModel<X, Y> Create<X, Y>(Func<ISupervisedModel<X, Y>> factory)
        where X : IArcData<X> where Y : IArcData<Y>
        => factory() ?? throw new InvalidOperationException("the model factory returned null");

    private static ISupervisedJob<X, Y> CreateJob<X, Y>(Func<ISupervisedJob<X, Y>> factory)
        where X : IArcData<X> where Y : IArcData<Y>
        => factory() ?? throw new InvalidOperationException("the job factory returned null");

}
