using Arc.Types;

namespace Arc.Sdk;

/// <summary>Deploys registered jobs typed, from their parameters (the registry's view of a <c>[Job]</c> class).</summary>
public static class JobRegistrationDeployment
{
    /// <summary>
    /// Creates the job from <paramref name="parameters"/> where <paramref name="target"/> runs jobs, e.g.
    /// <c>await ClassifyDigits.Registration.DeployAsync(Target.LocalProcess, new(Limit: 100))</c>.
    /// </summary>
    public static ValueTask<IDeployedJob<X, Y>> DeployAsync<TJob, TParameters, X, Y>(
        this JobRegistration<TJob, TParameters, X, Y> registration, Target target, TParameters parameters,
        CancellationToken cancellationToken = default)
        where TJob : class, ISupervisedJob<X, Y>
        where TParameters : class
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameters);
        return target.DeployRegisteredAsync<X, Y>(registration, () => registration.Create(parameters),
            () => registration.WriteParameters(parameters), cancellationToken);
    }

    /// <summary>
    /// As above, with parameters in their wire form (missing keys take their defaults). The bytes are read here first,
    /// so bad parameters fail at once, before any worker starts.
    /// </summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid parameter map for this job.</exception>
    public static ValueTask<IDeployedJob<X, Y>> DeployFromWireAsync<TJob, TParameters, X, Y>(
        this JobRegistration<TJob, TParameters, X, Y> registration, Target target, ReadOnlyMemory<byte> parameters,
        CancellationToken cancellationToken = default)
        where TJob : class, ISupervisedJob<X, Y>
        where TParameters : class
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        return registration.DeployAsync(target, registration.ReadParameters(parameters), cancellationToken);
    }
}
