using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

public abstract partial class Target
{
    /// <summary>
    /// A registered model (or job) in a child process (<c>Arc.Worker</c>) on 127.0.0.1, on a free port, used through a
    /// <see cref="RemoteModel{X, Y}"/>. The worker's log goes to <see cref="Console.Error"/>; it is killed when the
    /// deployed model is disposed, and exits by itself when this process dies. Only registered models can be deployed
    /// there (<c>MyModel.DeployAsync(Target.LocalProcess, ...)</c>), and jobs likewise: a factory delegate cannot cross processes.
    /// This is also where develop mode runs: <c>MyModel.DevelopAsync(Target.LocalProcess, ...)</c> starts a worker that
    /// hot-reloads rebuilt code (<see cref="DevelopModel{X, Y}"/>).
    /// </summary>
    public static Target LocalProcess { get; } = new LocalProcessTarget(new LocalProcessOptions());

    /// <summary>As <see cref="LocalProcess"/>, with <paramref name="options"/> (worker path, model assembly, log, timeout).</summary>
    public static Target LocalProcessWith(LocalProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LocalProcessTarget(options);
    }

    /// <summary>The options of a local-process target (<see cref="LocalProcess"/>, <see cref="LocalProcessWith"/>); null for other targets.</summary>
    internal static LocalProcessOptions? LocalProcessOptionsOf(Target target) => (target as LocalProcessTarget)?.Options;

    private sealed class LocalProcessTarget(LocalProcessOptions options) : Target("local-process")
    {
        public LocalProcessOptions Options => options;

        public override ValueTask<PodWorker> DeployPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null, CancellationToken cancellationToken = default)
            => DeployProcessPodsAsync(this, options, pods, cancellationToken);

        internal override async ValueTask<TDeployed> DeployCoreAsync<TInstance, TDeployed>(IDeploymentKind<TInstance, TDeployed> kind,
            Func<TInstance> create, RegisteredStart? registered, CancellationToken cancellationToken)
        {
            if (registered is null)
                throw FactoryCannotGo(kind.Kind, "another process",
                    $"My{kind.Kind}.DeployAsync(Target.LocalProcess, ...) or My{kind.Kind}.Registration.DeployAsync(Target.LocalProcess, {kind.Kind.ParametersWord()})");
            var launch = WorkerLaunch.For(registered.Registration, registered.ParametersWire(), options);
            return await kind.StartProcessAsync(launch, options, cancellationToken).ConfigureAwait(false);
        }

        // The model class's assembly (or LocalProcessOptions.ModelAssemblyPath) names the build folder that travels.
        internal override async ValueTask<DevelopModel<X, Y>> DevelopRegisteredAsync<X, Y>(ClassRegistration registration,
            Func<byte[]> hyperparametersWire, CancellationToken cancellationToken)
            => await DevelopModel<X, Y>.StartAsync(WorkerLaunch.AssemblyOf(registration.Type, registration.ToString(), options),
                registration.Name, hyperparametersWire(), options, cancellationToken).ConfigureAwait(false);

        internal override async ValueTask<DevelopJob<X, Y>> DevelopRegisteredJobAsync<X, Y>(ClassRegistration registration,
            Func<byte[]> parametersWire, CancellationToken cancellationToken)
            => await DevelopJob<X, Y>.StartAsync(WorkerLaunch.AssemblyOf(registration.Type, registration.ToString(), options),
                registration.Name, parametersWire(), options, cancellationToken).ConfigureAwait(false);

        // The options' ModelAssemblyPath, else the one assembly that declares the pods, names the build folder that travels.
        public override async ValueTask<DevelopPodWorker> DevelopPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null,
            CancellationToken cancellationToken = default)
            => await DevelopPodWorker.StartAsync(this, WorkerLaunch.ForPods(pods, options).AssemblyPath, options, cancellationToken).ConfigureAwait(false);
    }
}
