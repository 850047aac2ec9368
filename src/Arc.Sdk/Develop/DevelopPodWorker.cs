using Arc.Kubernetes;
using Arc.Remote;

namespace Arc.Sdk;

/// <summary>
/// <c>[Pod]</c> methods served by a develop-mode worker process (hot reload): pass it to a pod's generated remote form
/// like any <see cref="PodWorker"/>; after a rebuild <see cref="ReloadAsync"/> sends the build folder's changed files
/// and the same worker process serves every pod of the rebuilt assembly. Start one with
/// <see cref="Target.DevelopPodsAsync"/>. A failed reload is loud, as for a <see cref="DevelopModel{X, Y}"/>. See docs/develop-mode.md.
/// </summary>
public sealed class DevelopPodWorker : PodWorker, IWorkerProcess
{
    private readonly DevelopSession _session;
    private readonly RemotePodClient _client;

    private DevelopPodWorker(Target target, DevelopSession session) : base(target)
    {
        _session = session;
        _client = new RemotePodClient(session.Channel);
    }

    /// <summary>The worker's process id (the same across reloads); null when it runs in a pod (<see cref="Pod"/>).</summary>
    public override int? ProcessId => _session.Worker.ProcessId;

    int IWorkerProcess.ProcessId => _session.ProcessId;

    /// <summary>The pod the worker runs in (<see cref="Target.KubernetesDevelop"/>, the same across reloads); null for a local worker process.</summary>
    public KubernetesWorkerPod? Pod => _session.Worker.Pod;

    /// <summary>What the last successful reload (or the first load) did; null before it.</summary>
    public ReloadResult? LastReload => _session.LastReload;

    /// <inheritdoc />
    public Uri Endpoint => _session.Worker.Address;

    /// <inheritdoc />
    public string Token => _session.Worker.ClientOptions.Token!;

    /// <summary>Starts a develop worker serving every pod <paramref name="assemblyPath"/> registers, reloaded from its build folder.</summary>
    /// <exception cref="ArcReloadException">The first load failed (the worker is stopped).</exception>
    internal static async Task<DevelopPodWorker> StartAsync(Target target, string assemblyPath, LocalProcessOptions options, CancellationToken cancellationToken)
    {
        var session = await DevelopSession.StartAsync(assemblyPath, DevelopKinds.Pods, Path.GetFileNameWithoutExtension(assemblyPath), parameters: null,
            options, cancellationToken).ConfigureAwait(false);
        return await StartAsync(target, session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the first load into <paramref name="session"/>'s worker (a process or a pod); stops the worker if it fails.</summary>
    internal static async Task<DevelopPodWorker> StartAsync(Target target, DevelopSession session, CancellationToken cancellationToken)
    {
        var worker = new DevelopPodWorker(target, session);
        try
        {
            await worker.ReloadAsync(cancellationToken).ConfigureAwait(false);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends what changed in the build folder and makes the worker serve every pod of the rebuilt assembly; calls made
    /// meanwhile wait and then run the new code.
    /// </summary>
    /// <exception cref="ArcReloadException">The reload failed; the worker serves no pod until one succeeds.</exception>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default)
        => _session.ReloadAsync(_ => Task.CompletedTask, cancellationToken);

    /// <summary>
    /// Reloads by itself whenever the build folder changes and then stays quiet for <paramref name="quiet"/> (default
    /// 500 ms); each outcome goes to <paramref name="reloaded"/> or <paramref name="failed"/>. Dispose the result to stop watching.
    /// </summary>
    public IDisposable Watch(Action<ReloadResult>? reloaded = null, Action<Exception>? failed = null, TimeSpan? quiet = null)
        => _session.Watch(() => ReloadAsync(), reloaded, failed, quiet);

    /// <summary>The worker's code version, state and last reload error.</summary>
    public Task<DevelopStatus> StatusAsync(CancellationToken cancellationToken = default) => _session.StatusAsync(cancellationToken);

    /// <inheritdoc />
    public override async ValueTask<TResult> InvokeAsync<TArguments, TResult>(PodRegistration<TArguments, TResult> pod, TArguments arguments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(arguments);
        ObjectDisposedException.ThrowIf(_session.IsDisposed, this);
        var call = _client.InvokeAsync(pod.Name, pod.WriteArguments(arguments), cancellationToken: cancellationToken);
        return pod.ReadResult(await _session.Worker.RaceAsync(call, $"pod '{pod.Name}'").ConfigureAwait(false));
    }

    /// <summary>Stops the worker.</summary>
    public override async ValueTask DisposeAsync() => await _session.CloseAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public override string ToString() => _session.ToString();
}
