using Arc.Sdk;
using Arc.Types;

namespace Arc.CommandLine;

/// <summary>A <c>[Job]</c> on the command line (<c>--job &lt;name&gt;</c>).</summary>
public abstract class CommandLineJob : CommandLineTarget
{
    private protected CommandLineJob(ClassRegistration registration, IReadOnlyList<CommandLineParameter> parameters)
        : base(registration, parameters)
    {
    }

    /// <summary>A job entry from its generated registration, its parameters and the binder that builds its parameter record.</summary>
    /// <param name="registration">The job's generated <c>Registration</c>.</param>
    /// <param name="parameters">One entry per constructor parameter.</param>
    /// <param name="bind">Builds the parameter record from the values.</param>
    public static CommandLineJob<X, Y> Create<TJob, TParameters, X, Y>(
        JobRegistration<TJob, TParameters, X, Y> registration,
        IReadOnlyList<CommandLineParameter> parameters,
        Func<ParameterValues, TParameters> bind)
        where TJob : SupervisedJob<X, Y>
        where TParameters : class
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(bind);
        return new CommandLineJob<X, Y>(registration, parameters, values => registration.Create(bind(values)));
    }

    /// <summary>Runs <paramref name="visitor"/> with this job's data types.</summary>
    internal abstract Task<int> AcceptAsync(IJobVisitor visitor);
}

/// <summary>A job entry whose data types are known: it can create the job.</summary>
/// <typeparam name="X">Input data.</typeparam>
/// <typeparam name="Y">Target data.</typeparam>
public sealed class CommandLineJob<X, Y> : CommandLineJob
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly Func<ParameterValues, SupervisedJob<X, Y>> _create;

    internal CommandLineJob(ClassRegistration registration, IReadOnlyList<CommandLineParameter> parameters, Func<ParameterValues, SupervisedJob<X, Y>> create)
        : base(registration, parameters)
        => _create = create;

    /// <summary>Creates the job in this process with <paramref name="values"/>.</summary>
    public SupervisedJob<X, Y> CreateJob(ParameterValues values) => _create(values);

    internal override Task<int> AcceptAsync(IJobVisitor visitor) => visitor.VisitAsync(this);
}

/// <summary>Code that needs a job's data types (training, evaluation, preview) without reflection.</summary>
internal interface IJobVisitor
{
    Task<int> VisitAsync<X, Y>(CommandLineJob<X, Y> job)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>;
}
