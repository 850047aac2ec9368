using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// What <see cref="Target.InProcess"/> deploys for a job: the job object itself behind the <see cref="IDeployedJob{X, Y}"/>
/// shape — calls go straight to it, disposing disposes it when it is disposable.
/// </summary>
public sealed class InProcessJob<X, Y> : IDeployedJob<X, Y>, IContractInfo
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private int _disposed;

    /// <summary>Wraps <paramref name="job"/> and owns it.</summary>
    public InProcessJob(ISupervisedJob<X, Y> job) => Job = job ?? throw new ArgumentNullException(nameof(job));

    /// <summary>The job object.</summary>
    public ISupervisedJob<X, Y> Job { get; }

    /// <inheritdoc />
    public string Name => Job.Name;

    /// <summary>The job's contract, when it states one.</summary>
    public DataContract Contract => DataContract.Of(Job);

    /// <inheritdoc />
    public IAsyncEnumerable<Batch<X, Y>> StreamAsync(int batchSize = 64, DataSplit split = DataSplit.Train, int? shuffleSeed = null,
        CancellationToken cancellationToken = default)
        => Job.StreamAsync(batchSize, split, shuffleSeed, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Batch<X, Y>> SampleAsync(int count, DataSplit split = DataSplit.Train, int? seed = null, CancellationToken cancellationToken = default)
        => Job.SampleAsync(count, split, seed, cancellationToken);

    /// <inheritdoc />
    public ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split = DataSplit.Test, int batchSize = 256,
        CancellationToken cancellationToken = default)
        => Job.EvaluateAsync(model, split, batchSize, cancellationToken);

    /// <summary>Disposes the job (once) when it is disposable.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await Disposal.DisposeIfDisposableAsync(Job).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"in-process job '{Name}'";
}
