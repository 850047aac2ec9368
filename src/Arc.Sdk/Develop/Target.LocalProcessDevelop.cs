using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

public abstract partial class Target
{
    /// <summary>
    /// A registered model in a develop-mode worker process (hot reload): as <see cref="LocalProcessWith"/>, and the
    /// deployed model is a <see cref="DevelopModel{X, Y}"/> whose <see cref="DevelopModel{X, Y}.ReloadAsync"/> swaps in
    /// the rebuilt assembly without restarting the process. The assembly is <see cref="LocalProcessOptions.ModelAssemblyPath"/>
    /// or the model class's; its folder is what travels.
    /// </summary>
    public static Target LocalProcessDevelop(LocalProcessOptions? options = null) => new LocalProcessDevelopTarget(options ?? new LocalProcessOptions());

    private sealed class LocalProcessDevelopTarget(LocalProcessOptions options) : Target("local-process-develop")
    {
        public override ValueTask<IDeployedModel<X, Y>> DeployAsync<X, Y>(Func<ISupervisedModel<X, Y>> factory, CancellationToken cancellationToken = default)
            => throw new NotSupportedException(
                "a model factory cannot be reloaded in another process: deploy a registered model, e.g. " +
                "MyModel.Registration.DeployAsync(Target.LocalProcessDevelop(), hyperparameters)");

        internal override async ValueTask<IDeployedModel<X, Y>> DeployRegisteredAsync<X, Y>(ModelRegistration registration,
            Func<ISupervisedModel<X, Y>> factory, Func<byte[]> hyperparametersWire, CancellationToken cancellationToken)
            => await DevelopModel<X, Y>.StartAsync(WorkerLaunch.AssemblyOf(registration.ModelType, registration.ToString(), options),
                registration.Name, hyperparametersWire(), options, cancellationToken).ConfigureAwait(false);

        public override ValueTask<IDeployedJob<X, Y>> DeployJobAsync<X, Y>(Func<ISupervisedJob<X, Y>> factory, CancellationToken cancellationToken = default)
            => throw new NotSupportedException("develop mode reloads models only: run jobs on Target.LocalProcess (MyJob.DevelopAsync(Target.LocalProcess, ...))");
    }
}
