using Arc.Artifacts;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// What every generated <c>MyJob.Client</c> is: the typed client of a job started on a <see cref="Sdk.Target"/> by
/// <c>MyJob.DeployAsync</c>. It makes the same <see cref="ISupervisedJob{X, Y}"/> calls as the local class (stream,
/// sample, evaluate a model wherever that model runs), forwarded to what the target deployed, and releases it on
/// <see cref="ArcClientBase{TClass, TParameters, TDeployed}.DisposeAsync"/>. The generated class adds nothing but its constructor: everything a call goes through is
/// here, hand-written, to read and step into.
/// </summary>
/// <typeparam name="TJob">The <c>[Job]</c> class.</typeparam>
/// <typeparam name="TParameters">Its generated parameter record.</typeparam>
/// <typeparam name="X">The job's inputs.</typeparam>
/// <typeparam name="Y">The job's targets.</typeparam>
public abstract class JobClientBase<TJob, TParameters, X, Y> : ArcClientBase<TJob, TParameters, IDeployedJob<X, Y>>, IDeployedJob<X, Y>, IContractInfo
    where TJob : class, ISupervisedJob<X, Y>
    where TParameters : class
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    /// <summary>Wraps what <paramref name="target"/> deployed (e.g. a <see cref="RemoteJob{X, Y}"/>); the client owns it from now on.</summary>
    /// <param name="registration">The job's generated registration (<c>MyJob.Registration</c>).</param>
    /// <param name="deployed">What the target deployed, which every call goes to.</param>
    /// <param name="target">Where it runs.</param>
    /// <param name="parameters">What the job was created with.</param>
    protected JobClientBase(JobRegistration<TJob, TParameters, X, Y> registration, IDeployedJob<X, Y> deployed, Target target, TParameters parameters)
        : base(registration, deployed, target, parameters)
    {
    }

    /// <summary>The parameters the job was created with.</summary>
    public TParameters Parameters => CreatedWith;

    /// <summary>The id of the worker process the job runs in, for <see cref="Sdk.Target.LocalProcess"/>; null when it runs in this process or on another machine.</summary>
    public int? WorkerProcessId => (Deployed as IWorkerProcess)?.ProcessId;

    /// <summary>The address of the worker the job runs in, for <see cref="Sdk.Target.LocalProcess"/> (its calls need <see cref="IWorkerProcess.Token"/>); null otherwise.</summary>
    public Uri? WorkerEndpoint => (Deployed as IWorkerProcess)?.Endpoint;

    /// <summary>The job's contract, stated by its attributes (<c>MyJob.Registration.Contract</c>).</summary>
    public DataContract Contract => Registration.Contract.IsEmpty ? DataContract.Of(Deployed) : Registration.Contract;

    /// <inheritdoc />
    public string Name => Deployed.Name;

    /// <inheritdoc />
    public IAsyncEnumerable<Batch<X, Y>> StreamAsync(int batchSize = 64, DataSplit split = DataSplit.Train, int? shuffleSeed = null,
        CancellationToken cancellationToken = default)
        => Deployed.StreamAsync(batchSize, split, shuffleSeed, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Batch<X, Y>> SampleAsync(int count, DataSplit split = DataSplit.Train, int? seed = null, CancellationToken cancellationToken = default)
        => Deployed.SampleAsync(count, split, seed, cancellationToken);

    /// <inheritdoc />
    public ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split = DataSplit.Test, int batchSize = 256,
        CancellationToken cancellationToken = default)
        => Deployed.EvaluateAsync(model, split, batchSize, cancellationToken);

    /// <summary>
    /// Saves this job as an OCI artifact (its parameters, X/Y types and code bundle) into <paramref name="repository"/>
    /// (default: the local OCI layout) and returns its reference, which any process can connect to (<see cref="SavedJob"/>).
    /// </summary>
    /// <param name="repository">Where to save: a registry repository or an <c>oci-layout:</c> folder; null for the default.</param>
    /// <param name="signingKey">A key to sign the artifact with (the signature is pushed next to it), or null.</param>
    /// <param name="registryOptions">How to reach a registry (plain HTTP for non-loopback hosts), or null.</param>
    /// <param name="cancellationToken">Cancels saving.</param>
    public Task<ArtifactReference> SaveAsync(ArtifactReference? repository = null, ArtifactSigningKey? signingKey = null,
        OciRegistryOptions? registryOptions = null, CancellationToken cancellationToken = default)
        => Registration.SaveAsync(Parameters, repository, registryOptions, signingKey, cancellationToken);
}
