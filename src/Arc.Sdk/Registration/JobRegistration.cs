using MessagePack.Formatters;
using Arc.Artifacts;
using Arc.Hosting;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// What the generator registers for one <c>[Job]</c> class: its name, its types, and how to create it from
/// parameters in their wire form.
/// </summary>
public abstract class JobRegistration
{
    private protected JobRegistration(string name) => Name = RegistrationNames.Check(name, "job");

    /// <summary>The job's registered name (<c>[Job(Name = ...)]</c>, or the class name in lower case).</summary>
    public string Name { get; }

    /// <summary>The job class.</summary>
    public abstract Type JobType { get; }

    /// <summary>The input (X) data type.</summary>
    public abstract Type InputType { get; }

    /// <summary>The target (Y) data type.</summary>
    public abstract Type OutputType { get; }

    /// <summary>The generated parameter record (<c>TJob.Parameters</c>).</summary>
    public abstract Type ParametersType { get; }

    /// <summary>The default parameters in their wire form (a MessagePack map); a fresh copy on every call.</summary>
    public abstract byte[] DefaultParametersWire { get; }

    /// <summary>Creates the job from parameters in their wire form; missing keys take their defaults.</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid parameter map for this job.</exception>
    public abstract object CreateFromWire(ReadOnlyMemory<byte> parameters);

    /// <summary>
    /// Creates the job from parameters in their wire form and serves it behind an <see cref="Arc.Hosting.ArcWorkerHost"/>
    /// (what a worker process does); typed inside, so hosts need no generics. Dispose the result to stop and free it.
    /// </summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid parameter map for this job.</exception>
    public abstract Task<JobServer> ServeAsync(Arc.Hosting.ArcWorkerOptions? options, ReadOnlyMemory<byte> parameters,
        CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public override string ToString() => $"job '{Name}' ({JobType.FullName}: {InputType.Name} -> {OutputType.Name})";
}

/// <summary>The typed registration of job <typeparamref name="TJob"/> with parameters <typeparamref name="TParameters"/>.</summary>
/// <typeparam name="TJob">The job class.</typeparam>
/// <typeparam name="TParameters">Its generated parameter record.</typeparam>
/// <typeparam name="X">Input data type.</typeparam>
/// <typeparam name="Y">Target data type.</typeparam>
public sealed class JobRegistration<TJob, TParameters, X, Y> : JobRegistration
    where TJob : class, ISupervisedJob<X, Y>
    where TParameters : class
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly Func<TParameters, TJob> _factory;

    /// <summary>Called by generated code.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="factory">Creates the job (calls its public constructor).</param>
    /// <param name="formatter">The generated parameter formatter.</param>
    /// <param name="defaults">The parameters with every default.</param>
    public JobRegistration(string name, Func<TParameters, TJob> factory, IMessagePackFormatter<TParameters> formatter, TParameters defaults)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(formatter);
        ArgumentNullException.ThrowIfNull(defaults);
        _factory = factory;
        ParametersFormatter = formatter;
        Defaults = defaults;
    }

    /// <summary>The parameters with every default.</summary>
    public TParameters Defaults { get; }

    /// <summary>Reads and writes <typeparamref name="TParameters"/> as a MessagePack map keyed by parameter name.</summary>
    public IMessagePackFormatter<TParameters> ParametersFormatter { get; }

    /// <inheritdoc />
    public override Type JobType => typeof(TJob);

    /// <inheritdoc />
    public override Type InputType => typeof(X);

    /// <inheritdoc />
    public override Type OutputType => typeof(Y);

    /// <inheritdoc />
    public override Type ParametersType => typeof(TParameters);

    /// <inheritdoc />
    public override byte[] DefaultParametersWire => WriteParameters(Defaults);

    /// <summary>Creates the job from <paramref name="parameters"/>.</summary>
    public TJob Create(TParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return _factory(parameters);
    }

    /// <summary>The wire form of <paramref name="parameters"/>.</summary>
    public byte[] WriteParameters(TParameters parameters) => WireFormat.Serialize(ParametersFormatter, parameters);

    /// <summary>Reads parameters from their wire form.</summary>
    /// <exception cref="ArcFormatException">The bytes are not a valid parameter map for this job.</exception>
    public TParameters ReadParameters(ReadOnlyMemory<byte> wire)
        => WireFormat.Deserialize(ParametersFormatter, wire, $"parameters of job '{Name}'");

    /// <inheritdoc />
    public override object CreateFromWire(ReadOnlyMemory<byte> parameters) => Create(ReadParameters(parameters));

    /// <inheritdoc />
    public override Task<JobServer> ServeAsync(Arc.Hosting.ArcWorkerOptions? options, ReadOnlyMemory<byte> parameters,
        CancellationToken cancellationToken = default)
        => JobServer.StartAsync<X, Y>(
            Create(ReadParameters(parameters)) ?? throw new InvalidOperationException($"the factory of job '{Name}' returned null"),
            options, cancellationToken);
}
