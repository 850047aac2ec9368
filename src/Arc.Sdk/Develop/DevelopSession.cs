using Arc.Hosting;
using Arc.Remote;

namespace Arc.Sdk;

/// <summary>
/// The part of develop mode every kind shares (<see cref="DevelopModel{X, Y}"/>, <see cref="DevelopJob{X, Y}"/>,
/// <see cref="DevelopPodWorker"/>): one develop worker process, its channel, and the reload — hash the build folder,
/// send only the blobs the worker lacks, ask it to serve the code — plus watching the folder. What to serve is fixed
/// at start: its kind (<see cref="DevelopKinds"/>), name and (hyper)parameters. The worker is a child process
/// (<see cref="LocalDevelopWorker"/>) or a pod (<see cref="KubernetesDevelopWorker"/>): the reload is the same.
/// </summary>
internal sealed class DevelopSession : IAsyncDisposable
{
    private readonly ArcDevelopClient _client;
    private readonly BuildOutputManifest _manifest;
    private readonly ReadOnlyMemory<byte>? _parameters;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private HashSet<string>? _shared;
    private int _disposed;

    private DevelopSession(IDevelopWorker worker, string assemblyPath, string kind, string name, ReadOnlyMemory<byte>? parameters)
    {
        Worker = worker;
        AssemblyPath = assemblyPath;
        Kind = kind;
        Name = name;
        _parameters = parameters;
        Channel = new ArcChannel(worker.Address, worker.ClientOptions);
        _client = new ArcDevelopClient(Channel);
        _manifest = new BuildOutputManifest(Path.GetDirectoryName(assemblyPath)!);
    }

    public IDevelopWorker Worker { get; }

    public ArcChannel Channel { get; }

    public string AssemblyPath { get; }

    /// <summary>What the worker serves: <see cref="DevelopKinds.Model"/>, <see cref="DevelopKinds.Job"/> or <see cref="DevelopKinds.Pods"/>.</summary>
    public string Kind { get; }

    /// <summary>The registered name (for pods, a display name).</summary>
    public string Name { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>What the last successful reload (or the first load) did; null before it.</summary>
    public ReloadResult? LastReload { get; private set; }

    /// <summary>
    /// Starts a develop worker for <paramref name="assemblyPath"/>'s build folder. Nothing is loaded yet: the caller
    /// makes the first <see cref="ReloadAsync"/>, and disposes the session if it fails.
    /// </summary>
    public static async Task<DevelopSession> StartAsync(string assemblyPath, string kind, string name, ReadOnlyMemory<byte>? parameters,
        LocalProcessOptions options, CancellationToken cancellationToken)
    {
        string fullPath = Path.GetFullPath(assemblyPath);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"the assembly {fullPath} does not exist", fullPath);
        var launch = new WorkerLaunch(name, fullPath, new Dictionary<string, string> { [WorkerEnvironment.Develop] = "1" });
        var worker = await WorkerProcess.StartAsync(launch, options, cancellationToken).ConfigureAwait(false);
        return Open(new LocalDevelopWorker(worker), fullPath, kind, name, parameters);
    }

    /// <summary>A session with a develop worker started elsewhere (a pod); it owns the worker from now on.</summary>
    public static DevelopSession Open(IDevelopWorker worker, string assemblyPath, string kind, string name, ReadOnlyMemory<byte>? parameters)
    {
        // A copy, so the caller may reuse its buffer. Null must stay null (the defaults), and a bare `null` in a
        // conditional with a ReadOnlyMemory<byte> would become an empty memory through the byte[] conversion.
        ReadOnlyMemory<byte>? copy = null;
        if (parameters is { } wire) copy = wire.ToArray();
        return new DevelopSession(worker, Path.GetFullPath(assemblyPath), kind, name, copy);
    }

    /// <summary>The worker's process id for <see cref="IWorkerProcess.ProcessId"/>: 0 when it runs in a pod.</summary>
    public int ProcessId => Worker.ProcessId ?? 0;

    /// <summary>
    /// Sends what changed in the build folder and makes the worker serve the rebuilt code, then runs
    /// <paramref name="loaded"/> (the typed client's check of the new code) before reporting success.
    /// </summary>
    /// <exception cref="ArcReloadException">The reload failed; the worker serves nothing until one succeeds.</exception>
    public async Task<ReloadResult> ReloadAsync(Func<CancellationToken, Task> loaded, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _shared ??= new HashSet<string>((await _client.StatusAsync(cancellationToken).ConfigureAwait(false)).Shared, StringComparer.Ordinal);
            var (files, leftOut) = await _manifest.ScanAsync(_shared, cancellationToken).ConfigureAwait(false);
            var missing = (await _client.MissingAsync(files.Select(f => f.Digest).Distinct().ToList(), cancellationToken).ConfigureAwait(false)).ToHashSet();

            int sent = 0;
            long bytes = 0;
            foreach (var file in files.Where(f => missing.Remove(f.Digest)))
            {
                if (file.Size > ArcWorkerOptions.DefaultMaxMessageBytes / 2)
                    throw Failure($"the build file '{file.RelativePath}' has {file.Size} bytes, too large to send in develop mode");
                await _client.PutBlobAsync(file.Digest, await File.ReadAllBytesAsync(file.FullPath, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                sent++;
                bytes += file.Size;
            }

            var request = new ReloadRequest(Path.GetFileName(AssemblyPath), files.ToDictionary(f => f.RelativePath, f => f.Digest, StringComparer.Ordinal), Name, _parameters)
            {
                Kind = Kind,
            };
            DevelopStatus status;
            try
            {
                status = await _client.ReloadAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ArcRemoteException e)
            {
                throw Failure($"{e.RemoteType}: {e.RemoteMessage}", e);
            }
            catch (ArgumentException e)
            {
                // The worker refused the request (a path outside the build folder, a blob it does not hold).
                throw Failure(e.Message, e);
            }
            await loaded(cancellationToken).ConfigureAwait(false);
            LastReload = new ReloadResult(status.Version, sent, bytes, files.Count, leftOut);
            return LastReload;
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>Reloads with <paramref name="reload"/> whenever the build folder changes and then stays quiet for <paramref name="quiet"/>.</summary>
    public IDisposable Watch(Func<Task<ReloadResult>> reload, Action<ReloadResult>? reloaded, Action<Exception>? failed, TimeSpan? quiet)
        => new BuildFolderWatch(Path.GetDirectoryName(AssemblyPath)!, quiet ?? TimeSpan.FromMilliseconds(500), async () =>
        {
            try
            {
                var result = await reload().ConfigureAwait(false);
                reloaded?.Invoke(result);
            }
            catch (Exception e)
            {
                failed?.Invoke(e);
            }
        });

    /// <summary>The worker's code version, state and last reload error.</summary>
    public Task<DevelopStatus> StatusAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _client.StatusAsync(cancellationToken);
    }

    /// <summary>A failed reload of what this session serves.</summary>
    public ArcReloadException Failure(string reason, Exception? inner = null) => new(Kind, Name, ProcessId, Worker.Description, reason, inner);

    /// <summary>Closes the channel and stops the worker; true the first time.</summary>
    public async ValueTask<bool> CloseAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return false;
        Channel.Dispose();
        await Worker.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    public override string ToString() => Kind == DevelopKinds.Pods
        ? $"pods of '{Name}' in {Worker}"
        : $"{Kind} '{Name}' in {Worker}";
}
