using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.CommandLine;

/// <summary>A <c>[Model]</c> on the command line (<c>--model &lt;name&gt;</c>).</summary>
public abstract class CommandLineModel : CommandLineTarget
{
    private protected CommandLineModel(ClassRegistration registration, IReadOnlyList<CommandLineParameter> parameters)
        : base(registration, parameters)
    {
    }

    /// <summary>A model entry from its generated registration, its parameters and the binder that builds its hyperparameters.</summary>
    /// <param name="registration">The model's generated <c>Registration</c>.</param>
    /// <param name="parameters">One entry per constructor parameter.</param>
    /// <param name="bind">Builds the hyperparameter record from the values.</param>
    public static CommandLineModel<X, Y> Create<TModel, THyperparameters, X, Y>(
        ModelRegistration<TModel, THyperparameters, X, Y> registration,
        IReadOnlyList<CommandLineParameter> parameters,
        Func<ParameterValues, THyperparameters> bind)
        where TModel : class, ISupervisedModel<X, Y>
        where THyperparameters : class
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(bind);
        return new CommandLineModel<X, Y>(registration, parameters, values => registration.Create(bind(values)),
            (values, target, cancellationToken) => registration.DeployAsync(target, bind(values), cancellationToken));
    }

    /// <summary>Runs <paramref name="visitor"/> with this model's data types.</summary>
    internal abstract Task<int> AcceptAsync(IModelVisitor visitor);
}

/// <summary>Code that needs a model's data types (inference) without reflection.</summary>
internal interface IModelVisitor
{
    Task<int> VisitAsync<X, Y>(CommandLineModel<X, Y> model)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>;
}

/// <summary>A model entry whose data types are known: it can create the model.</summary>
/// <typeparam name="X">Input data.</typeparam>
/// <typeparam name="Y">Output data.</typeparam>
public sealed class CommandLineModel<X, Y> : CommandLineModel
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly Func<ParameterValues, ISupervisedModel<X, Y>> _create;
    private readonly Func<ParameterValues, Target, CancellationToken, ValueTask<IDeployedModel<X, Y>>> _deploy;

    internal CommandLineModel(ClassRegistration registration, IReadOnlyList<CommandLineParameter> parameters, Func<ParameterValues, ISupervisedModel<X, Y>> create,
        Func<ParameterValues, Target, CancellationToken, ValueTask<IDeployedModel<X, Y>>> deploy)
        : base(registration, parameters)
        => (_create, _deploy) = (create, deploy);

    /// <summary>Creates the model in this process with <paramref name="values"/>.</summary>
    public ISupervisedModel<X, Y> CreateModel(ParameterValues values) => _create(values);

    /// <summary>
    /// Creates the model with <paramref name="values"/> where <paramref name="target"/> runs models (a worker process, a
    /// pod), through its registration, as <c>MyModel.Registration.DeployAsync(target, hyperparameters)</c> does.
    /// </summary>
    internal ValueTask<IDeployedModel<X, Y>> DeployModelAsync(ParameterValues values, Target target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return _deploy(values, target, cancellationToken);
    }

    internal override Task<int> AcceptAsync(IModelVisitor visitor) => visitor.VisitAsync(this);
}
