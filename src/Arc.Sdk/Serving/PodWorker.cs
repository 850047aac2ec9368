using Arc.Hosting;
using Arc.Remote;

namespace Arc.Sdk;

/// <summary>
/// Where <c>[Pod]</c> methods run: start one with <see cref="Target.DeployPodsAsync"/> and pass it to a pod's generated
/// remote form (<c>ScaleRemoteAsync(worker, ...)</c>). Arguments and results cross in their wire form unless the
/// worker is <see cref="Target.InProcess"/>; disposing stops the worker.
/// </summary>
/// <remarks>
/// A pod's exception on a worker surfaces as <see cref="ArcRemoteException"/> (an <see cref="ArgumentException"/> as
/// itself); a pod the worker does not serve as <see cref="ArcRemoteCallException"/> with status <c>NotFound</c>; a local worker process that dies as
/// <see cref="ArcWorkerExitedException"/>.
/// </remarks>
public abstract class PodWorker : IAsyncDisposable
{
    private protected PodWorker(Target target) => Target = target;

    /// <summary>The target the worker runs on.</summary>
    public Target Target { get; }

    /// <summary>
    /// The id of the process the pods run in, on this machine (this process for in-process and loopback workers); null
    /// when they run elsewhere (a pod of a cluster).
    /// </summary>
    public abstract int? ProcessId { get; }

    /// <summary>Runs <paramref name="pod"/> with <paramref name="arguments"/> on this worker.</summary>
    /// <typeparam name="TArguments">The pod's generated argument record.</typeparam>
    /// <typeparam name="TResult">The pod's result (<see cref="NoResult"/> when it returns nothing).</typeparam>
    public abstract ValueTask<TResult> InvokeAsync<TArguments, TResult>(PodRegistration<TArguments, TResult> pod, TArguments arguments,
        CancellationToken cancellationToken = default)
        where TArguments : class;

    /// <summary>
    /// Connects to a worker already serving <c>arc.Pod</c> at <paramref name="address"/> (e.g. one started with
    /// <see cref="ArcWorkerHost.StartPodsAsync"/> elsewhere) with <paramref name="options"/>, which carry its token
    /// (<see cref="ArcWorkerHost.ClientOptions"/>). Disposing closes the connection only. Its <see cref="ProcessId"/> is
    /// null: the worker may be anywhere.
    /// </summary>
    public static PodWorker Connect(Uri address, ArcChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        return new RemotePodWorker(Target.LoopbackWorker, new ArcChannel(address, options), owned: null, process: null);
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}

/// <summary>No transport: the pod's method is called in this process.</summary>
internal sealed class InProcessPodWorker(Target target) : PodWorker(target)
{
    public override int? ProcessId => Environment.ProcessId;

    public override ValueTask<TResult> InvokeAsync<TArguments, TResult>(PodRegistration<TArguments, TResult> pod, TArguments arguments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.InvokeAsync(arguments, cancellationToken);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override string ToString() => "pods in process";
}

/// <summary>
/// Pods on a worker reached over <c>arc.Pod</c>. When the worker is a local child process, every call is raced against
/// its exit so that a dying worker fails the call at once with <see cref="ArcWorkerExitedException"/>.
/// </summary>
internal sealed class RemotePodWorker : PodWorker
{
    private readonly ArcChannel _channel;
    private readonly RemotePodClient _client;
    private readonly IAsyncDisposable? _owned;
    private readonly WorkerProcess? _process;
    private int _disposed;

    public RemotePodWorker(Target target, ArcChannel channel, IAsyncDisposable? owned, WorkerProcess? process) : base(target)
    {
        _channel = channel;
        _client = new RemotePodClient(channel);
        _owned = owned;
        _process = process;
    }

    // A worker this object started runs in its child process or (a loopback host) here; one merely connected to could be anywhere.
    public override int? ProcessId => _process?.ProcessId ?? (_owned is not null ? Environment.ProcessId : null);

    public override async ValueTask<TResult> InvokeAsync<TArguments, TResult>(PodRegistration<TArguments, TResult> pod, TArguments arguments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(arguments);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var call = _client.InvokeAsync(pod.Name, pod.WriteArguments(arguments), cancellationToken: cancellationToken);
        var result = _process is null ? await call.ConfigureAwait(false) : await WorkerCallGuard.RaceAsync(_process, call, $"pod '{pod.Name}'").ConfigureAwait(false);
        return pod.ReadResult(result);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _channel.Dispose();
        if (_owned is not null) await _owned.DisposeAsync().ConfigureAwait(false);
        if (_process is not null) await _process.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => _process is null
        ? $"pods at {_channel.Address}"
        : $"pods in worker process {_process.ProcessId} at {_channel.Address}";
}
