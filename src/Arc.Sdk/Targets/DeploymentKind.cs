using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// What differs between deploying a model and deploying a job over X and Y; everything else a target does is the same
/// for both (<see cref="Target.DeployCoreAsync"/>). Contravariant in the instance, so a model registration's
/// <c>TModel</c> uses the kind of every <see cref="ISupervisedModel{X, Y}"/>.
/// </summary>
/// <typeparam name="TInstance">The object deployed: <see cref="ISupervisedModel{X, Y}"/> or <see cref="ISupervisedJob{X, Y}"/>.</typeparam>
/// <typeparam name="TDeployed">What the caller gets: <see cref="IDeployedModel{X, Y}"/> or <see cref="IDeployedJob{X, Y}"/>.</typeparam>
internal interface IDeploymentKind<in TInstance, TDeployed>
    where TDeployed : class
{
    ArcKind Kind { get; }

    /// <summary>The instance itself behind the deployed shape, owned by it (<see cref="Target.InProcess"/>).</summary>
    TDeployed InProcess(TInstance instance);

    /// <summary>What a worker host serves for the instance, owning it (<see cref="WorkerServices"/>).</summary>
    WorkerService Serve(TInstance instance);

    /// <summary>Connects to a worker serving one of this kind; <paramref name="owned"/> is disposed with the result, or at once if connecting fails.</summary>
    Task<TDeployed> ConnectAsync(Uri address, ArcChannelOptions options, IAsyncDisposable? owned, CancellationToken cancellationToken);

    /// <summary>Starts a worker process and connects to it, every call raced against the process's exit.</summary>
    Task<TDeployed> StartProcessAsync(WorkerLaunch launch, LocalProcessOptions options, CancellationToken cancellationToken);
}

/// <summary>Models: <see cref="InProcessModel{X, Y}"/>, <c>arc.Model</c>, <see cref="RemoteModel{X, Y}"/>, <see cref="LocalProcessModel{X, Y}"/>.</summary>
internal sealed class ModelDeploymentKind<X, Y> : IDeploymentKind<ISupervisedModel<X, Y>, IDeployedModel<X, Y>>
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    public static ModelDeploymentKind<X, Y> Instance { get; } = new();

    public ArcKind Kind => ArcKind.Model;

    public IDeployedModel<X, Y> InProcess(ISupervisedModel<X, Y> instance) => new InProcessModel<X, Y>(instance);

    public WorkerService Serve(ISupervisedModel<X, Y> instance) => WorkerServices.Model(instance);

    public async Task<IDeployedModel<X, Y>> ConnectAsync(Uri address, ArcChannelOptions options, IAsyncDisposable? owned, CancellationToken cancellationToken)
        => await RemoteModel<X, Y>.ConnectAsync(address, options, owned, cancellationToken).ConfigureAwait(false);

    public async Task<IDeployedModel<X, Y>> StartProcessAsync(WorkerLaunch launch, LocalProcessOptions options, CancellationToken cancellationToken)
        => await LocalProcessModel<X, Y>.StartAsync(launch, options, cancellationToken).ConfigureAwait(false);
}

/// <summary>Jobs: <see cref="InProcessJob{X, Y}"/>, <c>arc.Job</c>, <see cref="RemoteJob{X, Y}"/>, <see cref="LocalProcessJob{X, Y}"/>.</summary>
internal sealed class JobDeploymentKind<X, Y> : IDeploymentKind<ISupervisedJob<X, Y>, IDeployedJob<X, Y>>
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    public static JobDeploymentKind<X, Y> Instance { get; } = new();

    public ArcKind Kind => ArcKind.Job;

    public IDeployedJob<X, Y> InProcess(ISupervisedJob<X, Y> instance) => new InProcessJob<X, Y>(instance);

    public WorkerService Serve(ISupervisedJob<X, Y> instance) => WorkerServices.Job(instance);

    public async Task<IDeployedJob<X, Y>> ConnectAsync(Uri address, ArcChannelOptions options, IAsyncDisposable? owned, CancellationToken cancellationToken)
        => await RemoteJob<X, Y>.ConnectAsync(address, options, owned, cancellationToken).ConfigureAwait(false);

    public async Task<IDeployedJob<X, Y>> StartProcessAsync(WorkerLaunch launch, LocalProcessOptions options, CancellationToken cancellationToken)
        => await LocalProcessJob<X, Y>.StartAsync(launch, options, cancellationToken).ConfigureAwait(false);
}

/// <summary>A registered class being deployed: what a target that starts it elsewhere sends instead of calling the factory.</summary>
/// <param name="Registration">The class's registration (its name, kind and assembly).</param>
/// <param name="ParametersWire">Writes its (hyper)parameters' wire form; called only by targets that need them.</param>
internal sealed record RegisteredStart(ClassRegistration Registration, Func<byte[]> ParametersWire);
