using Arc.Hosting;
using Arc.Kubernetes;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// A registered model served by a develop-mode worker process (hot reload): used like any deployed model, and after a
/// rebuild <see cref="ReloadAsync"/> sends the build folder's changed files (content-addressed: only what the worker
/// does not hold travels) and the same worker process swaps in the new code; the next call runs it. A failed reload is
/// loud: <see cref="ArcReloadException"/>, and every call fails naming it until a reload succeeds. See docs/develop-mode.md.
/// </summary>
public sealed class DevelopModel<X, Y> : IDeployedModel<X, Y>, IDeviceInfo, IWorkerProcess, IAsyncOptimizerState
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly DevelopSession _session;
    private RemoteModel<X, Y>? _remote;

    private DevelopModel(DevelopSession session) => _session = session;

    /// <summary>The registered name of the served model.</summary>
    public string Name => _session.Name;

    /// <summary>Where the currently loaded model computes (e.g. <c>cpu</c>), as its worker described it after the last load; <c>unknown</c> before or when the model does not say.</summary>
    public string DeviceName { get; private set; } = "unknown";

    /// <summary>The worker's process id (the same across reloads); 0 when it runs in a pod (<see cref="Pod"/>).</summary>
    public int ProcessId => _session.ProcessId;

    /// <summary>The pod the worker runs in (<see cref="Target.KubernetesDevelop"/>, the same across reloads); null for a local worker process.</summary>
    public KubernetesWorkerPod? Pod => _session.Worker.Pod;

    /// <summary>What the last successful reload (or the first load) did; null before it.</summary>
    public ReloadResult? LastReload => _session.LastReload;

    /// <summary>The worker's address (<c>arc.Model</c> and <c>arc.Develop</c>).</summary>
    public Uri Address => _session.Worker.Address;

    /// <inheritdoc />
    public Uri Endpoint => _session.Worker.Address;

    /// <inheritdoc />
    public string Token => _session.Worker.ClientOptions.Token!;

    /// <summary>What another client of this worker needs besides its address (the token), for tests.</summary>
    internal ArcChannelOptions ClientOptions => _session.Worker.ClientOptions;

    /// <summary>
    /// Starts a develop worker, sends it the build folder of <paramref name="modelAssemblyPath"/> and serves the model
    /// registered there as <paramref name="modelName"/>, created from <paramref name="hyperparameters"/> (wire form;
    /// null: its defaults) — now and after every reload.
    /// </summary>
    /// <exception cref="ArcReloadException">The first load failed (the worker is stopped).</exception>
    public static async Task<DevelopModel<X, Y>> StartAsync(string modelAssemblyPath, string modelName,
        ReadOnlyMemory<byte>? hyperparameters = null, LocalProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelAssemblyPath);
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        var session = await DevelopSession.StartAsync(modelAssemblyPath, DevelopKinds.Model, modelName, hyperparameters,
            options ?? new LocalProcessOptions(), cancellationToken).ConfigureAwait(false);
        return await StartAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the first load into <paramref name="session"/>'s worker (a process or a pod); stops the worker if it fails.</summary>
    internal static async Task<DevelopModel<X, Y>> StartAsync(DevelopSession session, CancellationToken cancellationToken)
    {
        var model = new DevelopModel<X, Y>(session);
        try
        {
            await model.ReloadAsync(cancellationToken).ConfigureAwait(false);
            return model;
        }
        catch
        {
            await model.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends what changed in the build folder and makes the worker serve the rebuilt code; calls made meanwhile wait
    /// and then run the new code.
    /// </summary>
    /// <returns>The new version and what travelled.</returns>
    /// <exception cref="ArcReloadException">The reload failed; the worker serves no model until one succeeds.</exception>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default)
        => _session.ReloadAsync(async ct =>
        {
            _remote ??= await RemoteModel<X, Y>.ConnectAsync(_session.Worker.Address, _session.Worker.ClientOptions, ct).ConfigureAwait(false);
            await CheckTypesAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Reloads by itself whenever the build folder changes and then stays quiet for <paramref name="quiet"/> (default
    /// 500 ms, long enough for one <c>dotnet build</c> to finish writing). Each outcome goes to
    /// <paramref name="reloaded"/> or <paramref name="failed"/> (an <see cref="ArcReloadException"/> leaves the worker
    /// serving no model, as with <see cref="ReloadAsync"/>). Dispose the result to stop watching.
    /// </summary>
    public IDisposable Watch(Action<ReloadResult>? reloaded = null, Action<Exception>? failed = null, TimeSpan? quiet = null)
        => _session.Watch(() => ReloadAsync(), reloaded, failed, quiet);

    /// <summary>The worker's code version, state and last reload error.</summary>
    public Task<DevelopStatus> StatusAsync(CancellationToken cancellationToken = default) => _session.StatusAsync(cancellationToken);

    // Calls race the worker's exit like a deployed worker's (WorkerCallGuard): a worker that dies fails the call with
    // its exit and last log lines; answers from a live worker (the model threw, no model after a failed reload) are
    // reported at once, as they are.

    /// <inheritdoc />
    public ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default)
    {
        ModelArguments.CheckPair(x, y);
        return _session.Worker.RaceAsync(Remote.FitAsync(x, y, cancellationToken).AsTask(), "Fit");
    }

    /// <inheritdoc />
    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        return _session.Worker.RaceAsync(Remote.PredictTask(x, cancellationToken), "Predict");
    }

    /// <inheritdoc />
    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return _session.Worker.RaceAsync(Remote.SaveWeightsAsync(destination, cancellationToken), "SaveWeights");
    }

    /// <inheritdoc />
    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _session.Worker.RaceAsync(Remote.LoadWeightsAsync(source, cancellationToken), "LoadWeights");
    }

    /// <inheritdoc />
    public ValueTask<bool> TrySaveOptimizerStateAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return _session.Worker.RaceAsync(Remote.TrySaveOptimizerStateAsync(destination, cancellationToken).AsTask(), "SaveOptimizerState");
    }

    /// <inheritdoc />
    public ValueTask LoadOptimizerStateAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _session.Worker.RaceAsync(Remote.LoadOptimizerStateAsync(source, cancellationToken), "LoadOptimizerState");
    }

    /// <summary>Stops the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_session.IsDisposed) return;
        if (_remote is not null) await _remote.DisposeAsync().ConfigureAwait(false);
        await _session.CloseAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => _session.ToString();

    private RemoteModel<X, Y> Remote
    {
        get
        {
            ObjectDisposedException.ThrowIf(_session.IsDisposed, this);
            return _remote ?? throw new InvalidOperationException($"{this} has no code loaded: reload first");
        }
    }

    // A rebuilt model may take or return other types; the typed calls of this object would then fail obscurely.
    private async Task CheckTypesAsync(CancellationToken cancellationToken)
    {
        var description = await new RemoteModelClient<X, Y>(_session.Channel).DescribeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (description.InputTag != X.WireTag || description.OutputTag != Y.WireTag)
            throw _session.Failure(
                $"the reloaded model goes from '{description.InputTag}' to '{description.OutputTag}', not from '{X.WireTag}' to '{Y.WireTag}': " +
                "start a new develop model for other types");
        DeviceName = description.Device ?? "unknown";
    }
}
