using Arc.Registration;
using Arc.Types;

namespace Arc.Remote;

/// <summary>Deploys registered models typed, from their hyperparameters (the registry's view of a <c>[Model]</c> class).</summary>
public static class ModelRegistrationDeployment
{
    /// <summary>
    /// Creates the model from <paramref name="hyperparameters"/> where <paramref name="target"/> runs models, e.g.
    /// <c>await MlpClassifier.Registration.DeployAsync(Target.LoopbackWorker, new(Hidden: 64))</c>.
    /// </summary>
    public static ValueTask<IDeployedModel<X, Y>> DeployAsync<TModel, THyperparameters, X, Y>(
        this ModelRegistration<TModel, THyperparameters, X, Y> registration, Target target, THyperparameters hyperparameters,
        CancellationToken cancellationToken = default)
        where TModel : class, ISupervisedModel<X, Y>
        where THyperparameters : class
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        return target.DeployAsync<X, Y>(() => registration.Create(hyperparameters), cancellationToken);
    }

    /// <summary>
    /// As above, with hyperparameters in their wire form (missing keys take their defaults), as a host receives them.
    /// </summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid hyperparameter map for this model.</exception>
    public static ValueTask<IDeployedModel<X, Y>> DeployFromWireAsync<TModel, THyperparameters, X, Y>(
        this ModelRegistration<TModel, THyperparameters, X, Y> registration, Target target, ReadOnlyMemory<byte> hyperparameters,
        CancellationToken cancellationToken = default)
        where TModel : class, ISupervisedModel<X, Y>
        where THyperparameters : class
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        return registration.DeployAsync(target, registration.ReadHyperparameters(hyperparameters), cancellationToken);
    }
}
