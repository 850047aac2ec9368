using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// A registered model served by a develop-mode worker process (hot reload): used like any deployed model, and after a
/// rebuild <see cref="ReloadAsync"/> sends the build folder's changed files (content-addressed: only what the worker
/// does not hold travels) and the same worker process swaps in the new code; the next call runs it. A failed reload is
/// loud: <see cref="ArcReloadException"/>, and every call fails naming it until a reload succeeds. See docs/develop-mode.md.
/// </summary>
public sealed class DevelopModel<X, Y> : IDeployedModel<X, Y>, IDeviceInfo, IWorkerProcess
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly WorkerProcess _worker;
    private readonly ArcChannel _channel;
    private readonly ArcDevelopClient _client;
    private readonly BuildOutputManifest _manifest;
    private readonly string _assemblyPath;
    private readonly ReadOnlyMemory<byte>? _hyperparameters;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private HashSet<string>? _shared;
    private RemoteModel<X, Y>? _remote;
    private int _disposed;

    private DevelopModel(WorkerProcess worker, string assemblyPath, string modelName, ReadOnlyMemory<byte>? hyperparameters)
    {
        _worker = worker;
        _assemblyPath = assemblyPath;
        Name = modelName;
        _hyperparameters = hyperparameters;
        _channel = new ArcChannel(worker.Address, worker.ClientOptions);
        _client = new ArcDevelopClient(_channel);
        _manifest = new BuildOutputManifest(Path.GetDirectoryName(assemblyPath)!);
    }

    /// <summary>The registered name of the served model.</summary>
    public string Name { get; }

    /// <summary>Where the currently loaded model computes (e.g. <c>cpu</c>), as its worker described it after the last load; <c>unknown</c> before or when the model does not say.</summary>
    public string DeviceName { get; private set; } = "unknown";

    /// <summary>The worker's process id (the same across reloads).</summary>
    public int ProcessId => _worker.ProcessId;

    /// <summary>What the last successful reload (or the first load) did; null before it.</summary>
    public ReloadResult? LastReload { get; private set; }

    /// <summary>The worker's address (<c>arc.Model</c> and <c>arc.Develop</c>).</summary>
    public Uri Address => _worker.Address;

    /// <inheritdoc />
    public Uri Endpoint => _worker.Address;

    /// <inheritdoc />
    public string Token => _worker.ClientOptions.Token!;

    /// <summary>What another client of this worker needs besides its address (the token), for tests.</summary>
    internal ArcChannelOptions ClientOptions => _worker.ClientOptions;

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
        options ??= new LocalProcessOptions();
        string assemblyPath = Path.GetFullPath(modelAssemblyPath);
        if (!File.Exists(assemblyPath)) throw new FileNotFoundException($"the model assembly {assemblyPath} does not exist", assemblyPath);

        var launch = new WorkerLaunch(modelName, assemblyPath, new Dictionary<string, string> { [WorkerEnvironment.Develop] = "1" });
        var worker = await WorkerProcess.StartAsync(launch, options, cancellationToken).ConfigureAwait(false);
        // A copy, so the caller may reuse its buffer. Null must stay null (the defaults), and a bare `null` in a
        // conditional with a ReadOnlyMemory<byte> would become an empty memory through the byte[] conversion.
        ReadOnlyMemory<byte>? copy = null;
        if (hyperparameters is { } wire) copy = wire.ToArray();
        var model = new DevelopModel<X, Y>(worker, assemblyPath, modelName, copy);
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
    public async Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _shared ??= new HashSet<string>((await _client.StatusAsync(cancellationToken).ConfigureAwait(false)).Shared, StringComparer.Ordinal);
            var (files, leftOut) = await _manifest.ScanAsync(_shared, cancellationToken).ConfigureAwait(false);
            string assembly = Path.GetFileName(_assemblyPath);
            var missing = (await _client.MissingAsync(files.Select(f => f.Digest).Distinct().ToList(), cancellationToken).ConfigureAwait(false)).ToHashSet();

            int sent = 0;
            long bytes = 0;
            foreach (var file in files.Where(f => missing.Remove(f.Digest)))
            {
                if (file.Size > ArcWorkerOptions.DefaultMaxMessageBytes / 2)
                    throw new ArcReloadException(Name, ProcessId, $"the build file '{file.RelativePath}' has {file.Size} bytes, too large to send in develop mode");
                await _client.PutBlobAsync(file.Digest, await File.ReadAllBytesAsync(file.FullPath, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                sent++;
                bytes += file.Size;
            }

            var request = new ReloadRequest(assembly, files.ToDictionary(f => f.RelativePath, f => f.Digest, StringComparer.Ordinal), Name, _hyperparameters);
            DevelopStatus status;
            try
            {
                status = await _client.ReloadAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ArcRemoteException e)
            {
                throw new ArcReloadException(Name, ProcessId, $"{e.RemoteType}: {e.RemoteMessage}", e);
            }
            catch (ArgumentException e)
            {
                // The worker refused the request (a path outside the build folder, a blob it does not hold).
                throw new ArcReloadException(Name, ProcessId, e.Message, e);
            }
            _remote ??= await RemoteModel<X, Y>.ConnectAsync(_worker.Address, _worker.ClientOptions, cancellationToken).ConfigureAwait(false);
            await CheckTypesAsync(cancellationToken).ConfigureAwait(false);
            LastReload = new ReloadResult(status.Version, sent, bytes, files.Count, leftOut);
            return LastReload;
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>
    /// Reloads by itself whenever the build folder changes and then stays quiet for <paramref name="quiet"/> (default
    /// 500 ms, long enough for one <c>dotnet build</c> to finish writing). Each outcome goes to
    /// <paramref name="reloaded"/> or <paramref name="failed"/> (an <see cref="ArcReloadException"/> leaves the worker
    /// serving no model, as with <see cref="ReloadAsync"/>). Dispose the result to stop watching.
    /// </summary>
    public IDisposable Watch(Action<ReloadResult>? reloaded = null, Action<Exception>? failed = null, TimeSpan? quiet = null)
        => new BuildFolderWatch(Path.GetDirectoryName(_assemblyPath)!, quiet ?? TimeSpan.FromMilliseconds(500), async () =>
        {
            try
            {
                var result = await ReloadAsync().ConfigureAwait(false);
                reloaded?.Invoke(result);
            }
            catch (Exception e)
            {
                failed?.Invoke(e);
            }
        });

    /// <summary>The worker's code version, state and last reload error.</summary>
    public Task<DevelopStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _client.StatusAsync(cancellationToken);
    }

    // Calls race the worker's exit like a deployed worker's (WorkerCallGuard): a worker that dies fails the call with
    // its exit and last log lines; answers from a live worker (the model threw, no model after a failed reload) are
    // reported at once, as they are.

    /// <inheritdoc />
    public ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default)
    {
        ModelArguments.CheckPair(x, y);
        return WorkerCallGuard.RaceAsync(_worker, Remote.FitAsync(x, y, cancellationToken).AsTask(), "Fit");
    }

    /// <inheritdoc />
    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        return WorkerCallGuard.RaceAsync(_worker, Remote.PredictTask(x, cancellationToken), "Predict");
    }

    /// <inheritdoc />
    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return WorkerCallGuard.RaceAsync(_worker, Remote.SaveWeightsAsync(destination, cancellationToken), "SaveWeights");
    }

    /// <inheritdoc />
    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return WorkerCallGuard.RaceAsync(_worker, Remote.LoadWeightsAsync(source, cancellationToken), "LoadWeights");
    }

    /// <summary>Stops the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _channel.Dispose();
        if (_remote is not null) await _remote.DisposeAsync().ConfigureAwait(false);
        await _worker.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"model '{Name}' in develop worker process {ProcessId} at {Address}";

    private RemoteModel<X, Y> Remote
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _remote ?? throw new InvalidOperationException($"{this} has no code loaded: reload first");
        }
    }

    // A rebuilt model may take or return other types; the typed calls of this object would then fail obscurely.
    private async Task CheckTypesAsync(CancellationToken cancellationToken)
    {
        var description = await new RemoteModelClient<X, Y>(_channel).DescribeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (description.InputTag != X.WireTag || description.OutputTag != Y.WireTag)
            throw new ArcReloadException(Name, ProcessId,
                $"the reloaded model goes from '{description.InputTag}' to '{description.OutputTag}', not from '{X.WireTag}' to '{Y.WireTag}': " +
                "start a new develop model for other types");
        DeviceName = description.Device ?? "unknown";
    }
}
