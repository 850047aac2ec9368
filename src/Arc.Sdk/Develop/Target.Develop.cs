using Arc.Types;

namespace Arc.Sdk;

public abstract partial class Target
{
    /// <summary>
    /// Develop mode: starts a registered model in a worker that hot-reloads rebuilt code (<see cref="DevelopModel{X, Y}"/>),
    /// for the generated <c>MyModel.DevelopAsync</c> and <see cref="ModelRegistration{TModel, THyperparameters, X, Y}.DevelopAsync"/>. Only a
    /// worker of its own can unload and reload code, so only <see cref="LocalProcess"/> (and <see cref="LocalProcessWith"/>)
    /// develop today; the others refuse, naming what works. Develop mode in a cluster comes with the next issue.
    /// </summary>
    /// <exception cref="NotSupportedException">This target does not reload code.</exception>
    internal virtual ValueTask<DevelopModel<X, Y>> DevelopRegisteredAsync<X, Y>(ClassRegistration registration,
        Func<byte[]> hyperparametersWire, CancellationToken cancellationToken)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
        => throw new NotSupportedException(
            $"develop mode (hot reload of rebuilt code) runs on Target.LocalProcess only, not on the {Kind} target: " +
            $"develop {registration.Name} with DevelopAsync(Target.LocalProcess, ...), or run it as built here with DeployAsync(target, ...)");
}
