namespace Arc.Sdk;

/// <summary>
/// What every generated client is, whatever its kind: a typed handle on a model or job that a <see cref="Sdk.Target"/>
/// deployed from its registration. It holds what was deployed, where and from which (hyper)parameters, and releases it
/// on <see cref="DisposeAsync"/>; <see cref="ModelClientBase{TModel, THyperparameters, X, Y}"/> and
/// <see cref="JobClientBase{TJob, TParameters, X, Y}"/> add the calls of their kind, each forwarded to
/// <see cref="Deployed"/>. All of it is hand-written, to read and step into.
/// </summary>
/// <typeparam name="TClass">The <c>[Model]</c> or <c>[Job]</c> class.</typeparam>
/// <typeparam name="TParameters">Its generated record (<c>Hyperparameters</c>, <c>Parameters</c>).</typeparam>
/// <typeparam name="TDeployed">What the target deployed (<c>IDeployedModel&lt;X, Y&gt;</c>, <c>IDeployedJob&lt;X, Y&gt;</c>).</typeparam>
public abstract class ArcClientBase<TClass, TParameters, TDeployed> : IAsyncDisposable, IHasCreationParameters
    where TClass : class
    where TParameters : class
    where TDeployed : class, IAsyncDisposable
{
    /// <summary>Wraps what <paramref name="target"/> deployed; the client owns it from now on.</summary>
    /// <param name="registration">The class's generated registration (<c>MyModel.Registration</c>).</param>
    /// <param name="deployed">What the target deployed, which every call goes to.</param>
    /// <param name="target">Where it runs.</param>
    /// <param name="parameters">What it was created with.</param>
    protected ArcClientBase(ClassRegistration<TClass, TParameters, TDeployed> registration, TDeployed deployed, Target target, TParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(deployed);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameters);
        Registration = registration;
        Deployed = deployed;
        Target = target;
        CreatedWith = parameters;
    }

    /// <summary>Where it runs.</summary>
    public Target Target { get; }

    /// <summary>What the target deployed, which every call goes to.</summary>
    public TDeployed Deployed { get; }

    /// <summary>The registration it was deployed from.</summary>
    private protected ClassRegistration<TClass, TParameters, TDeployed> Registration { get; }

    /// <summary>The (hyper)parameters it was created with; each kind names them its own way.</summary>
    private protected TParameters CreatedWith { get; }

    byte[] IHasCreationParameters.CreationParametersWire() => Registration.WriteParameters(CreatedWith);

    string IHasCreationParameters.TargetName => Target.ToString();

    /// <summary>Releases it where it runs (the object in process, the worker otherwise).</summary>
    public ValueTask DisposeAsync() => Deployed.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => $"{ClientNames.Of(typeof(TClass))} client on {Target}: {Deployed}";
}
