using System.Runtime.CompilerServices;
using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// A job on a worker, used through the same <see cref="ISupervisedJob{X, Y}"/> interface as a local one: batches and
/// samples cross gRPC (<c>arc.Job</c>) one message each, and <see cref="EvaluateAsync(ISupervisedModel{X, Y}, DataSplit, int, CancellationToken)"/> runs here, streaming the
/// remote split through the model with the same loop and evaluator as <see cref="SupervisedJob{X, Y}"/>.
/// Connect with <see cref="ConnectAsync(Uri, string, CancellationToken)"/>; <see cref="ServeLoopbackAsync"/> hosts a local job
/// behind a loopback worker (tests, or a process boundary on one machine).
/// </summary>
public sealed class RemoteJob<X, Y> : IDeployedJob<X, Y>, IContractInfo
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly ArcChannel _channel;
    private readonly IAsyncDisposable? _owned;
    private int _disposed;

    private RemoteJob(ArcChannel channel, JobDescription description, IAsyncDisposable? owned)
    {
        _channel = channel;
        _owned = owned;
        Client = new RemoteJobClient<X, Y>(channel);
        Name = description.Name;
        Contract = description.Contract ?? DataContract.None;
    }

    /// <summary>The job's contract as the worker described it when this client connected.</summary>
    public DataContract Contract { get; }

    /// <summary>The job's name, as the worker described it when this client connected.</summary>
    public string Name { get; }

    /// <summary>The worker's address.</summary>
    public Uri Address => _channel.Address;

    /// <summary>The protocol client underneath, for calls with deadlines.</summary>
    public RemoteJobClient<X, Y> Client { get; }

    /// <summary>
    /// Connects to the worker at <paramref name="address"/>, asks it to describe its job and checks that the job's
    /// inputs are <typeparamref name="X"/> and its targets <typeparamref name="Y"/>.
    /// </summary>
    /// <param name="address">The worker, e.g. <c>http://127.0.0.1:5000</c>.</param>
    /// <param name="token">The worker's token (<see cref="ArcWorkerHost.Token"/>, or the one its deployment made).</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="ArcWorkerUnavailableException">No worker answers at <paramref name="address"/>.</exception>
    /// <exception cref="ArcWorkerAuthenticationException">The worker refused the token.</exception>
    /// <exception cref="InvalidOperationException">The worker's job has other input or target types.</exception>
    public static Task<RemoteJob<X, Y>> ConnectAsync(Uri address, string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ConnectAsync(address, new ArcChannelOptions { Token = token }, owned: null, cancellationToken);
    }

    /// <summary>As <see cref="ConnectAsync(Uri, string, CancellationToken)"/>, with the token, a certificate to pin and client-side limits in <paramref name="options"/>.</summary>
    public static Task<RemoteJob<X, Y>> ConnectAsync(Uri address, ArcChannelOptions options, CancellationToken cancellationToken = default)
        => ConnectAsync(address, options ?? throw new ArgumentNullException(nameof(options)), owned: null, cancellationToken);

    /// <summary>
    /// Starts a loopback worker serving <paramref name="job"/> and connects to it; disposing the returned job stops
    /// the worker (the local job itself is not disposed).
    /// </summary>
    public static async Task<RemoteJob<X, Y>> ServeLoopbackAsync(ISupervisedJob<X, Y> job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var host = await ArcWorkerHost.StartJobAsync(new SupervisedJobHandler<X, Y>(job), cancellationToken: cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(host.Address, host.ClientOptions, host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects as above; <paramref name="owned"/> is disposed with the job, or at once if connecting fails.</summary>
    internal static async Task<RemoteJob<X, Y>> ConnectAsync(Uri address, ArcChannelOptions options, IAsyncDisposable? owned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var channel = new ArcChannel(address, options);
        try
        {
            var description = await new RemoteJobClient<X, Y>(channel).DescribeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (description.InputTag != X.WireTag || description.TargetTag != Y.WireTag)
                throw new InvalidOperationException(
                    $"the worker at {address} serves job '{description.Name}' over '{description.InputTag}' and '{description.TargetTag}', " +
                    $"not '{X.WireTag}' ({typeof(X).Name}) and '{Y.WireTag}' ({typeof(Y).Name})");
            return new RemoteJob<X, Y>(channel, description, owned);
        }
        catch
        {
            channel.Dispose();
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Batch<X, Y>> StreamAsync(int batchSize = 64, DataSplit split = DataSplit.Train, int? shuffleSeed = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ThrowIfDisposed();
        await foreach (var batch in Client.StreamAsync(batchSize, JobSplitNames.ToWire(split), shuffleSeed, cancellationToken: cancellationToken).ConfigureAwait(false))
            yield return new Batch<X, Y>(batch.Inputs, batch.Targets);
    }

    /// <inheritdoc />
    public async ValueTask<Batch<X, Y>> SampleAsync(int count, DataSplit split = DataSplit.Train, int? seed = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ThrowIfDisposed();
        var batch = await Client.SampleAsync(count, JobSplitNames.ToWire(split), seed, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new Batch<X, Y>(batch.Inputs, batch.Targets);
    }

    /// <inheritdoc />
    public ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split = DataSplit.Test, int batchSize = 256,
        CancellationToken cancellationToken = default)
        => EvaluateAsync(model, split, batchSize, progress: null, cancellationToken);

    /// <summary>
    /// As <see cref="EvaluateAsync(ISupervisedModel{X, Y}, DataSplit, int, CancellationToken)"/>, reporting progress after
    /// every batch (the split's size is not known ahead, so <see cref="EvalProgress.TotalSamples"/> is the count so far).
    /// Scores with the evaluator registered for <typeparamref name="Y"/> in <see cref="Evaluators"/>.
    /// </summary>
    public ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split, int batchSize,
        IProgress<EvalProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ThrowIfDisposed();
        return JobEvaluation.RunAsync(Name, model, Evaluators.Create<Y>(), StreamAsync(batchSize, split, shuffleSeed: null, cancellationToken),
            split, totalSamples: null, progress, cancellationToken);
    }

    /// <summary>Closes the connection, then stops what the job owns (a loopback worker).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _channel.Dispose();
        if (_owned is not null) await _owned.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"remote job '{Name}' at {Address}";

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
