using System.Runtime.CompilerServices;
using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Serves one <see cref="ISupervisedJob{X, Y}"/> as an <see cref="IRemoteJobHandler{X, Y}"/>, so an
/// <see cref="ArcWorkerHost"/> can put it behind <c>arc.Job</c>. Streams and samples are the job's own, batch for
/// batch; a job is read-only once loaded, so concurrent calls need no gate.
/// </summary>
public sealed class SupervisedJobHandler<X, Y> : IRemoteJobHandler<X, Y>, IAsyncDisposable
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly ISupervisedJob<X, Y> _job;
    private readonly bool _ownsJob;
    private int _disposed;

    /// <summary>Serves <paramref name="job"/>; with <paramref name="ownsJob"/> disposing the handler disposes the job (when it is disposable).</summary>
    public SupervisedJobHandler(ISupervisedJob<X, Y> job, bool ownsJob = false)
    {
        _job = job ?? throw new ArgumentNullException(nameof(job));
        _ownsJob = ownsJob;
    }

    /// <summary>The job served.</summary>
    public ISupervisedJob<X, Y> Job => _job;

    /// <inheritdoc />
    public JobDescription Describe()
        => new(_job.Name, X.WireTag, Y.WireTag) { Contract = DataContract.Of(_job) is { IsEmpty: false } contract ? contract : null };

    /// <inheritdoc />
    public async IAsyncEnumerable<(X Inputs, Y Targets)> StreamAsync(int batchSize, string split, int? shuffleSeed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (x, y) in _job.StreamAsync(batchSize, JobSplitNames.FromWire(split), shuffleSeed, cancellationToken).ConfigureAwait(false))
            yield return (x, y);
    }

    /// <inheritdoc />
    public async ValueTask<(X Inputs, Y Targets)> SampleAsync(int count, string split, int? seed, CancellationToken cancellationToken)
    {
        var (x, y) = await _job.SampleAsync(count, JobSplitNames.FromWire(split), seed, cancellationToken).ConfigureAwait(false);
        return (x, y);
    }

    /// <summary>Disposes the job (once) when the handler owns it; a host calls this after it has stopped, so no call is running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !_ownsJob) return;
        await Disposal.DisposeIfDisposableAsync(_job).ConfigureAwait(false);
    }
}
