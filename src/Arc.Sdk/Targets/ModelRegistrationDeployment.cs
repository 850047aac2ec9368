using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Starts registered models typed, from their hyperparameters (the registry's view of a <c>[Model]</c> class):
/// <c>DeployAsync</c> runs the model as built, <c>DevelopAsync</c> in develop mode (hot reload). The generated
/// <c>MyModel.DeployAsync</c> and <c>MyModel.DevelopAsync</c> call these.
/// </summary>
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
        return target.DeployRegisteredAsync<X, Y>(registration, () => registration.Create(hyperparameters),
            () => registration.WriteHyperparameters(hyperparameters), cancellationToken);
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

    /// <summary>
    /// Deploys a model found by name (<c>ArcRegistry.GetModel(name)</c>) from hyperparameters in their wire form,
    /// typed by the caller's <typeparamref name="X"/> and <typeparamref name="Y"/>, which must be the model's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model takes or returns other types.</exception>
    /// <exception cref="ArcFormatException">The bytes are not a valid hyperparameter map for this model.</exception>
    public static ValueTask<IDeployedModel<X, Y>> DeployFromWireAsync<X, Y>(this ModelRegistration registration, Target target,
        ReadOnlyMemory<byte> hyperparameters, CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(target);
        if (registration.InputType != typeof(X) || registration.OutputType != typeof(Y))
            throw new InvalidOperationException(
                $"{registration} cannot be deployed as a model from {typeof(X).Name} to {typeof(Y).Name}");
        return target.DeployRegisteredAsync<X, Y>(registration, () => (ISupervisedModel<X, Y>)registration.CreateFromWire(hyperparameters),
            () => hyperparameters.ToArray(), cancellationToken);
    }

    /// <summary>
    /// Starts the model from <paramref name="hyperparameters"/> in develop mode on <paramref name="target"/>: a worker
    /// that hot-reloads the rebuilt build folder of the model's assembly without restarting
    /// (<see cref="DevelopModel{X, Y}.ReloadAsync"/>, <see cref="DevelopModel{X, Y}.Watch"/>), e.g.
    /// <c>await MlpClassifier.Registration.DevelopAsync(Target.LocalProcess, new(Hidden: 64))</c>. See docs/develop-mode.md.
    /// </summary>
    /// <exception cref="NotSupportedException"><paramref name="target"/> does not reload code (only <see cref="Target.LocalProcess"/> does today).</exception>
    /// <exception cref="ArcReloadException">The first load failed (the worker is stopped).</exception>
    public static ValueTask<DevelopModel<X, Y>> DevelopAsync<TModel, THyperparameters, X, Y>(
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
        return target.DevelopRegisteredAsync<X, Y>(registration, () => registration.WriteHyperparameters(hyperparameters), cancellationToken);
    }
}
