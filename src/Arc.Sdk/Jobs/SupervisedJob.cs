using System.Runtime.CompilerServices;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Base of a user's supervised job: implement <see cref="LoadSplitAsync"/> to return a whole split as one
/// batch; streaming, shuffling, sampling, training loops and evaluation come from here. Mark the class
/// <c>[Job]</c> and <c>partial</c>. A job whose splits do not fit in memory also overrides
/// <see cref="OpenSplitSourceAsync"/>, and is then read a batch at a time.
/// </summary>
/// <remarks>
/// Each split is loaded at most once and kept (a failed or cancelled load is retried on the next call). Shuffles
/// use <see cref="Random(int)"/> with the given seed, whose sequence .NET keeps stable, so one seed gives the same
/// order on every run and machine.
/// </remarks>
public abstract partial class SupervisedJob<X, Y> : ISupervisedJob<X, Y>, IContractInfo
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private readonly Dictionary<DataSplit, Lazy<Task<Batch<X, Y>>>> _splits = new();
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public virtual string Name => DefaultNames.For(GetType());

    /// <summary>
    /// What the job's X and Y look like (docs/data-types.md, "Contracts"): the generator overrides it with what the
    /// class's contract attributes state; <see cref="DataContract.None"/> otherwise. <c>Trainer</c> refuses a model
    /// whose contract conflicts with it before any training.
    /// </summary>
    public virtual DataContract Contract => DataContract.None;

    /// <summary>
    /// Loads one whole split; called at most once per split while it succeeds, the result is kept. Inputs and
    /// targets must hold the same number of samples. Throw <see cref="NotSupportedException"/> for a split the
    /// job does not have.
    /// </summary>
    protected abstract ValueTask<Batch<X, Y>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken);

    /// <summary>
    /// The split as a source read a piece at a time, for a job whose data does not fit in memory (a published dataset
    /// reads its .npy files a batch at a time). When this gives a source, <see cref="StreamAsync"/>, <see cref="SampleAsync"/>,
    /// <c>TrainAsync</c> and <c>EvaluateAsync</c> read through it and never load the whole split; only
    /// <see cref="GetSplitAsync"/> still calls <see cref="LoadSplitAsync"/>. Called once per stream or sample, so return a
    /// source opened once and kept. Null (the default): the split is loaded whole and kept.
    /// </summary>
    protected virtual ValueTask<ISplitSource<X, Y>?> OpenSplitSourceAsync(DataSplit split, CancellationToken cancellationToken)
        => ValueTask.FromResult<ISplitSource<X, Y>?>(null);

    /// <summary>The job's source for <paramref name="split"/>, or the loaded split read as one.</summary>
    private async ValueTask<ISplitSource<X, Y>> GetSourceAsync(DataSplit split, CancellationToken cancellationToken)
        => await OpenSplitSourceAsync(split, cancellationToken).ConfigureAwait(false)
           ?? new BatchSplitSource<X, Y>(await GetSplitAsync(split, cancellationToken).ConfigureAwait(false));

    /// <summary>The whole split (loaded once, then cached).</summary>
    public async Task<Batch<X, Y>> GetSplitAsync(DataSplit split, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Lazy<Task<Batch<X, Y>>> load;
            lock (_gate)
            {
                if (!_splits.TryGetValue(split, out load!) || (load.IsValueCreated && (load.Value.IsFaulted || load.Value.IsCanceled)))
                    _splits[split] = load = new Lazy<Task<Batch<X, Y>>>(() => LoadAndCheckAsync(split, cancellationToken));
            }
            try
            {
                // The user's loader runs outside the lock (it may take long, or ask for another split).
                return await load.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Another caller started this load with its own token and cancelled it; we still want the data.
            }
        }
    }

    private async Task<Batch<X, Y>> LoadAndCheckAsync(DataSplit split, CancellationToken cancellationToken)
    {
        var batch = await LoadSplitAsync(split, cancellationToken).ConfigureAwait(false);
        if (batch.Inputs is null || batch.Targets is null)
            throw new InvalidOperationException($"job {Name} returned a {split} split without inputs or targets");
        if (batch.Inputs.Count != batch.Targets.Count)
            throw new InvalidOperationException($"job {Name} returned a {split} split with {batch.Inputs.Count} inputs but {batch.Targets.Count} targets; they must pair up sample for sample");
        return batch;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Batch<X, Y>> StreamAsync(int batchSize = 64, DataSplit split = DataSplit.Train, int? shuffleSeed = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var source = await GetSourceAsync(split, cancellationToken).ConfigureAwait(false);
        int n = source.Count;
        int[]? order = null;
        if (shuffleSeed is int seed)
        {
            order = Enumerable.Range(0, n).ToArray();
            new Random(seed).Shuffle(order);
        }
        ValueTask<Batch<X, Y>> Read(int start)
        {
            int count = Math.Min(batchSize, n - start);
            return order is null
                ? source.ReadAsync(start, count, cancellationToken)
                : source.TakeAsync(order.AsMemory(start, count), cancellationToken);
        }

        if (source is BatchSplitSource<X, Y>)
        {
            // Rows held in memory are copied faster than a hand-over to another thread would cost.
            for (int start = 0; start < n; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return await Read(start).ConfigureAwait(false);
            }
            yield break;
        }

        // A source reads from storage (one pread per shuffled row for a published dataset): the next batch is read on
        // the thread pool while the caller fits the one it holds, as a data loader's prefetch does, so an epoch costs
        // the longer of reading and fitting instead of their sum. One batch ahead is enough while reading is the
        // shorter; more would only hold more memory.
        Task<Batch<X, Y>>? next = n > 0 ? Task.Run(() => Read(0).AsTask(), cancellationToken) : null;
        try
        {
            for (int start = 0; start < n; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = await next!.ConfigureAwait(false);
                int following = start + batchSize;
                next = following < n ? Task.Run(() => Read(following).AsTask(), cancellationToken) : null;
                yield return batch;
            }
        }
        finally
        {
            // The caller stopped early (break, an error, cancellation): the read already started is waited for, so that
            // it does not outlive the stream (the caller may dispose the dataset next), and its result or error, which
            // nobody asked for, is dropped.
            if (next is not null)
                await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<Batch<X, Y>> SampleAsync(int count, DataSplit split = DataSplit.Train, int? seed = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var source = await GetSourceAsync(split, cancellationToken).ConfigureAwait(false);
        if (count > source.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"the {split} split of job {Name} has only {source.Count} samples");
        var random = seed is int s ? new Random(s) : Random.Shared;
        // A partial Fisher-Yates shuffle: the first `count` positions become a uniform sample without repeats.
        var order = Enumerable.Range(0, source.Count).ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = random.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return await source.TakeAsync(order.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
    }
}
