using Arc.Hosting;
using Arc.Kubernetes;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// A registered job served by a develop-mode worker process (hot reload): used like any deployed job (stream, sample,
/// evaluate), and after a rebuild <see cref="ReloadAsync"/> sends the build folder's changed files and the same worker
/// process serves the new code. Start one with <see cref="JobRegistration{TJob, TParameters, X, Y}.DevelopAsync"/>. A
/// failed reload is loud, as for a <see cref="DevelopModel{X, Y}"/>. See docs/develop-mode.md.
/// </summary>
public sealed class DevelopJob<X, Y> : IDeployedJob<X, Y>, IWorkerProcess
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly DevelopSession _session;
    private RemoteJob<X, Y>? _remote;

    private DevelopJob(DevelopSession session) => _session = session;

    /// <summary>The registered name of the served job.</summary>
    public string Name => _session.Name;

    /// <summary>The worker's process id (the same across reloads); 0 when it runs in a pod (<see cref="Pod"/>).</summary>
    public int ProcessId => _session.ProcessId;

    /// <summary>The pod the worker runs in (<see cref="Target.KubernetesDevelop"/>, the same across reloads); null for a local worker process.</summary>
    public KubernetesWorkerPod? Pod => _session.Worker.Pod;

    /// <summary>What the last successful reload (or the first load) did; null before it.</summary>
    public ReloadResult? LastReload => _session.LastReload;

    /// <inheritdoc />
    public Uri Endpoint => _session.Worker.Address;

    /// <inheritdoc />
    public string Token => _session.Worker.ClientOptions.Token!;

    /// <summary>What another client of this worker needs besides its address (the token), for tests.</summary>
    internal ArcChannelOptions ClientOptions => _session.Worker.ClientOptions;

    /// <summary>
    /// Starts a develop worker, sends it the build folder of <paramref name="assemblyPath"/> and serves the job
    /// registered there as <paramref name="jobName"/>, created from <paramref name="parameters"/> (wire form; null: its
    /// defaults) — now and after every reload.
    /// </summary>
    /// <exception cref="ArcReloadException">The first load failed (the worker is stopped).</exception>
    public static async Task<DevelopJob<X, Y>> StartAsync(string assemblyPath, string jobName,
        ReadOnlyMemory<byte>? parameters = null, LocalProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        ArgumentException.ThrowIfNullOrEmpty(jobName);
        var session = await DevelopSession.StartAsync(assemblyPath, DevelopKinds.Job, jobName, parameters,
            options ?? new LocalProcessOptions(), cancellationToken).ConfigureAwait(false);
        return await StartAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the first load into <paramref name="session"/>'s worker (a process or a pod); stops the worker if it fails.</summary>
    internal static async Task<DevelopJob<X, Y>> StartAsync(DevelopSession session, CancellationToken cancellationToken)
    {
        var job = new DevelopJob<X, Y>(session);
        try
        {
            await job.ReloadAsync(cancellationToken).ConfigureAwait(false);
            return job;
        }
        catch
        {
            await job.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends what changed in the build folder and makes the worker serve the rebuilt job; calls made meanwhile wait
    /// (a running stream finishes first) and then run the new code.
    /// </summary>
    /// <exception cref="ArcReloadException">The reload failed; the worker serves no job until one succeeds.</exception>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default)
        => _session.ReloadAsync(async ct =>
        {
            if (_remote is null)
            {
                // Connecting checks the job's X and Y.
                try { _remote = await RemoteJob<X, Y>.ConnectAsync(Endpoint, _session.Worker.ClientOptions, owned: null, ct).ConfigureAwait(false); }
                catch (InvalidOperationException e) { throw _session.Failure(e.Message, e); }
                return;
            }
            var description = await _remote.Client.DescribeAsync(cancellationToken: ct).ConfigureAwait(false);
            if (description.InputTag != X.WireTag || description.TargetTag != Y.WireTag)
                throw _session.Failure(
                    $"the reloaded job goes over '{description.InputTag}' and '{description.TargetTag}', not '{X.WireTag}' and '{Y.WireTag}': " +
                    "start a new develop job for other types");
        }, cancellationToken);

    /// <summary>
    /// Reloads by itself whenever the build folder changes and then stays quiet for <paramref name="quiet"/> (default
    /// 500 ms); each outcome goes to <paramref name="reloaded"/> or <paramref name="failed"/>. Dispose the result to stop watching.
    /// </summary>
    public IDisposable Watch(Action<ReloadResult>? reloaded = null, Action<Exception>? failed = null, TimeSpan? quiet = null)
        => _session.Watch(() => ReloadAsync(), reloaded, failed, quiet);

    /// <summary>The worker's code version, state and last reload error.</summary>
    public Task<DevelopStatus> StatusAsync(CancellationToken cancellationToken = default) => _session.StatusAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>A stream is not raced against the worker's exit batch by batch: a dying worker ends it with the connection's error.</remarks>
    public IAsyncEnumerable<Batch<X, Y>> StreamAsync(int batchSize = 64, DataSplit split = DataSplit.Train, int? shuffleSeed = null,
        CancellationToken cancellationToken = default)
        => Remote.StreamAsync(batchSize, split, shuffleSeed, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Batch<X, Y>> SampleAsync(int count, DataSplit split = DataSplit.Train, int? seed = null, CancellationToken cancellationToken = default)
        => _session.Worker.RaceAsync(Remote.SampleAsync(count, split, seed, cancellationToken).AsTask(), "Sample");

    /// <inheritdoc />
    public ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split = DataSplit.Test, int batchSize = 256,
        CancellationToken cancellationToken = default)
        => Remote.EvaluateAsync(model, split, batchSize, cancellationToken);

    /// <summary>Stops the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_session.IsDisposed) return;
        if (_remote is not null) await _remote.DisposeAsync().ConfigureAwait(false);
        await _session.CloseAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => _session.ToString();

    private RemoteJob<X, Y> Remote
    {
        get
        {
            ObjectDisposedException.ThrowIf(_session.IsDisposed, this);
            return _remote ?? throw new InvalidOperationException($"{this} has no code loaded: reload first");
        }
    }
}
