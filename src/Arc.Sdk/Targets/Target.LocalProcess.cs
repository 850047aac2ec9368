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

        public override ValueTask<IDeployedModel<X, Y>> DeployAsync<X, Y>(Func<ISupervisedModel<X, Y>> factory, CancellationToken cancellationToken = default)
            => throw new NotSupportedException(
                "a model factory cannot run in another process: deploy a registered model, e.g. " +
                "MyModel.DeployAsync(Target.LocalProcess, ...) or MyModel.Registration.DeployAsync(Target.LocalProcess, hyperparameters)");

        internal override async ValueTask<IDeployedModel<X, Y>> DeployRegisteredAsync<X, Y>(ModelRegistration registration,
            Func<ISupervisedModel<X, Y>> factory, Func<byte[]> hyperparametersWire, CancellationToken cancellationToken)
            => await LocalProcessModel<X, Y>.StartAsync(WorkerLaunch.ForModel(registration, hyperparametersWire(), options), options, cancellationToken).ConfigureAwait(false);

        public override ValueTask<IDeployedJob<X, Y>> DeployAsync<X, Y>(Func<ISupervisedJob<X, Y>> factory, CancellationToken cancellationToken = default)
            => throw new NotSupportedException(
                "a job factory cannot run in another process: deploy a registered job, e.g. " +
                "MyJob.DeployAsync(Target.LocalProcess, ...) or MyJob.Registration.DeployAsync(Target.LocalProcess, parameters)");

        internal override async ValueTask<IDeployedJob<X, Y>> DeployRegisteredAsync<X, Y>(JobRegistration registration,
            Func<ISupervisedJob<X, Y>> factory, Func<byte[]> parametersWire, CancellationToken cancellationToken)
            => await LocalProcessJob<X, Y>.StartAsync(WorkerLaunch.ForJob(registration, parametersWire(), options), options, cancellationToken).ConfigureAwait(false);

        // The model class's assembly (or LocalProcessOptions.ModelAssemblyPath) names the build folder that travels.
        internal override async ValueTask<DevelopModel<X, Y>> DevelopRegisteredAsync<X, Y>(ModelRegistration registration,
            Func<byte[]> hyperparametersWire, CancellationToken cancellationToken)
            => await DevelopModel<X, Y>.StartAsync(WorkerLaunch.AssemblyOf(registration.ModelType, registration.ToString(), options),
                registration.Name, hyperparametersWire(), options, cancellationToken).ConfigureAwait(false);
    }
}
