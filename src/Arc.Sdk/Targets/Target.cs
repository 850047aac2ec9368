using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Where a model, a job or pods run. One verb family starts them there: <c>DeployAsync</c> creates a model (or a job)
/// and returns an <see cref="IDeployedModel{X, Y}"/> (<see cref="IDeployedJob{X, Y}"/>) that the caller uses like the
/// local object and disposes when done; <see cref="DeployPodsAsync"/> starts a worker for <c>[Pod]</c> methods; and
/// develop mode (the generated <c>MyModel.DevelopAsync</c>, <see cref="ModelRegistration{TModel, THyperparameters, X, Y}.DevelopAsync"/>) starts a model
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
    /// <exception cref="NotSupportedException">The target runs models in another process, where a factory delegate cannot go: deploy a registered model.</exception>
    public ValueTask<IDeployedModel<X, Y>> DeployAsync<X, Y>(Func<ISupervisedModel<X, Y>> factory, CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(factory);
        return DeployCoreAsync(ModelDeploymentKind<X, Y>.Instance, factory, registered: null, cancellationToken);
    }

    /// <summary>
    /// Creates the job with <paramref name="factory"/> where this target runs jobs, and returns it ready to use (stream,
    /// sample, evaluate). The deployed job owns the created one: dispose the deployed job, not the created one.
    /// </summary>
    /// <exception cref="NotSupportedException">The target runs jobs in another process, where a factory delegate cannot go: deploy a registered job.</exception>
    public ValueTask<IDeployedJob<X, Y>> DeployAsync<X, Y>(Func<ISupervisedJob<X, Y>> factory, CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(factory);
        return DeployCoreAsync(JobDeploymentKind<X, Y>.Instance, factory, registered: null, cancellationToken);
    }

    /// <summary>
    /// The one way a target deploys a model or a job: <paramref name="kind"/> says how that kind is wrapped, served and
    /// reached. Targets that run it in this process call <paramref name="create"/>; targets that start it elsewhere
    /// need <paramref name="registered"/> (null when the caller has only a factory) and send its wire form there.
    /// </summary>
    internal abstract ValueTask<TDeployed> DeployCoreAsync<TInstance, TDeployed>(IDeploymentKind<TInstance, TDeployed> kind,
        Func<TInstance> create, RegisteredStart? registered, CancellationToken cancellationToken)
        where TInstance : class
        where TDeployed : class;

    /// <inheritdoc />
    public override string ToString() => Kind;

    private sealed class InProcessTarget() : Target("in-process")
    {
        public override ValueTask<PodWorker> DeployPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null, CancellationToken cancellationToken = default)
            => DeployInProcessPodsAsync(this, cancellationToken);

        internal override ValueTask<TDeployed> DeployCoreAsync<TInstance, TDeployed>(IDeploymentKind<TInstance, TDeployed> kind,
            Func<TInstance> create, RegisteredStart? registered, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(kind.InProcess(Create(kind, create)));
        }
    }

    private sealed class LoopbackWorkerTarget() : Target("loopback-worker")
    {
        internal override async ValueTask<TDeployed> DeployCoreAsync<TInstance, TDeployed>(IDeploymentKind<TInstance, TDeployed> kind,
            Func<TInstance> create, RegisteredStart? registered, CancellationToken cancellationToken)
        {
            // The host owns the instance: disposing what this returns closes the connection, stops the worker, then
            // frees the instance, so no call can reach it once freed.
            var host = await ArcWorkerHost.StartAsync(kind.Serve(Create(kind, create)), cancellationToken: cancellationToken).ConfigureAwait(false);
            // Same process, same machine: pipelined fitting hands batches over through shared memory files.
            return await kind.ConnectAsync(host.Address, host.ClientOptions with { SharedMemoryBatches = true }, host, cancellationToken).ConfigureAwait(false);
        }

        public override ValueTask<PodWorker> DeployPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null, CancellationToken cancellationToken = default)
            => DeployLoopbackPodsAsync(this, pods, cancellationToken);
    }

    /// <summary>Calls the factory of a model or job that runs in this process.</summary>
    private static TInstance Create<TInstance, TDeployed>(IDeploymentKind<TInstance, TDeployed> kind, Func<TInstance> create)
        where TInstance : class
        where TDeployed : class
        => create() ?? throw new InvalidOperationException($"the {kind.Kind.Word()} factory returned null");

    /// <summary>What a target that runs nothing in this process says when it is given a factory.</summary>
    private protected static NotSupportedException FactoryCannotGo(ArcKind kind, string where, string example)
        => new($"a {kind.Word()} factory cannot run in {where}: deploy a registered {kind.Word()}, e.g. {example}");
}
