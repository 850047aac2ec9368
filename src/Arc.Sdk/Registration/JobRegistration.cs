using MessagePack.Formatters;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The registration of job <typeparamref name="TJob"/> (what the generator writes as <c>MyJob.Registration</c>): a
/// <see cref="ClassRegistration{TClass, TParameters, TDeployed}"/> deployed as <see cref="IDeployedJob{X, Y}"/> and
/// served as <c>arc.Job</c>, which can also start in develop mode (<see cref="DevelopAsync"/>).
/// </summary>
/// <typeparam name="TJob">The job class.</typeparam>
/// <typeparam name="TParameters">Its generated parameter record.</typeparam>
/// <typeparam name="X">Input data type.</typeparam>
/// <typeparam name="Y">Target data type.</typeparam>
public sealed class JobRegistration<TJob, TParameters, X, Y> : ClassRegistration<TJob, TParameters, IDeployedJob<X, Y>>
    where TJob : class, ISupervisedJob<X, Y>
    where TParameters : class
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    /// <summary>Called by generated code.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="factory">Creates the job (calls its public constructor).</param>
    /// <param name="formatter">The generated parameter formatter.</param>
    /// <param name="defaults">The parameters with every default.</param>
    public JobRegistration(string name, Func<TParameters, TJob> factory, IMessagePackFormatter<TParameters> formatter, TParameters defaults)
        : base(JobDeploymentKind<X, Y>.Instance, name, typeof(X), typeof(Y), factory, formatter, defaults)
    {
    }

    /// <summary>
    /// Starts the job from <paramref name="parameters"/> in develop mode on <paramref name="target"/>: a worker that
    /// hot-reloads the rebuilt build folder of the job's assembly without restarting
    /// (<see cref="DevelopJob{X, Y}.ReloadAsync"/>, <see cref="DevelopJob{X, Y}.Watch"/>), e.g.
    /// <c>await ClassifyDigits.Registration.DevelopAsync(Target.LocalProcess, new(MaxPerDigit: 100))</c>. See docs/develop-mode.md.
    /// </summary>
    /// <exception cref="NotSupportedException"><paramref name="target"/> does not reload code (<see cref="Target.LocalProcess"/> and <see cref="Target.KubernetesDevelop"/> do).</exception>
    /// <exception cref="ArcReloadException">The first load failed (the worker is stopped).</exception>
    public ValueTask<DevelopJob<X, Y>> DevelopAsync(Target target, TParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameters);
        return target.DevelopRegisteredJobAsync<X, Y>(this, () => WriteParameters(parameters), cancellationToken);
    }
}
