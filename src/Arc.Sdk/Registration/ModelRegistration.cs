using MessagePack.Formatters;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The registration of model <typeparamref name="TModel"/> (what the generator writes as <c>MyModel.Registration</c>):
/// a <see cref="ClassRegistration{TClass, TParameters, TDeployed}"/> deployed as <see cref="IDeployedModel{X, Y}"/> and
/// served as <c>arc.Model</c>, which can also start in develop mode (<see cref="DevelopAsync"/>).
/// </summary>
/// <typeparam name="TModel">The model class.</typeparam>
/// <typeparam name="THyperparameters">Its generated hyperparameter record.</typeparam>
/// <typeparam name="X">Input data type.</typeparam>
/// <typeparam name="Y">Output data type.</typeparam>
public sealed class ModelRegistration<TModel, THyperparameters, X, Y> : ClassRegistration<TModel, THyperparameters, IDeployedModel<X, Y>>
    where TModel : class, ISupervisedModel<X, Y>
    where THyperparameters : class
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    /// <summary>Called by generated code.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="factory">Creates the model (calls its public constructor).</param>
    /// <param name="formatter">The generated hyperparameter formatter.</param>
    /// <param name="defaults">The hyperparameters with every default.</param>
    public ModelRegistration(string name, Func<THyperparameters, TModel> factory, IMessagePackFormatter<THyperparameters> formatter, THyperparameters defaults)
        : base(ModelDeploymentKind<X, Y>.Instance, name, typeof(X), typeof(Y), factory, formatter, defaults)
    {
    }

    /// <summary>
    /// Starts the model from <paramref name="hyperparameters"/> in develop mode on <paramref name="target"/>: a worker
    /// that hot-reloads the rebuilt build folder of the model's assembly without restarting
    /// (<see cref="DevelopModel{X, Y}.ReloadAsync"/>, <see cref="DevelopModel{X, Y}.Watch"/>), e.g.
    /// <c>await MlpClassifier.Registration.DevelopAsync(Target.LocalProcess, new(Hidden: 64))</c>. See docs/develop-mode.md.
    /// </summary>
    /// <exception cref="NotSupportedException"><paramref name="target"/> does not reload code (<see cref="Target.LocalProcess"/> and <see cref="Target.KubernetesDevelop"/> do).</exception>
    /// <exception cref="ArcReloadException">The first load failed (the worker is stopped).</exception>
    public ValueTask<DevelopModel<X, Y>> DevelopAsync(Target target, THyperparameters hyperparameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        return target.DevelopRegisteredAsync<X, Y>(this, () => WriteParameters(hyperparameters), cancellationToken);
    }
}
