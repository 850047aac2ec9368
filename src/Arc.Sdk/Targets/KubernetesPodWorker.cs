using Arc.Kubernetes;
using Arc.Remote;

namespace Arc.Sdk;

/// <summary>
/// <c>[Pod]</c> methods served by a worker in a pod of a Kubernetes cluster (<see cref="Target.Kubernetes"/>), reached
/// over TLS with the deployment's token and pinned certificate. Disposing deletes the pod, service, policy and secret.
/// </summary>
internal sealed class KubernetesPodWorker : PodWorker
{
    private readonly ArcChannel _channel;
    private readonly RemotePodClient _client;
    private readonly IAsyncDisposable _deployment;
    private int _disposed;

    private KubernetesPodWorker(Target target, ArcChannel channel, KubernetesWorkerPod pod, IAsyncDisposable deployment) : base(target)
    {
        _channel = channel;
        _client = new RemotePodClient(channel);
        Pod = pod;
        _deployment = deployment;
    }

    /// <summary>The pod the methods run in.</summary>
    public KubernetesWorkerPod Pod { get; }

    /// <summary>None here: the worker is a process in a pod of the cluster, not on this machine.</summary>
    public override int? ProcessId => null;

    /// <summary>
    /// Connects to the pods worker at <paramref name="address"/> and checks that it answers (a wrong certificate or token
    /// fails here, not on the first call); takes ownership of <paramref name="deployment"/> (deleted at once if that fails).
    /// </summary>
    public static async Task<PodWorker> ConnectAsync(Target target, Uri address, ArcChannelOptions options, KubernetesWorkerPod pod,
        IAsyncDisposable deployment, CancellationToken cancellationToken)
    {
        ArcChannel? channel = null;
        try
        {
            channel = new ArcChannel(address, options);
            await new RemotePodClient(channel).DescribeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new KubernetesPodWorker(target, channel, pod, deployment);
        }
        catch
        {
            channel?.Dispose();
            await deployment.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async ValueTask<TResult> InvokeAsync<TArguments, TResult>(PodRegistration<TArguments, TResult> pod, TArguments arguments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(arguments);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var result = await _client.InvokeAsync(pod.Name, pod.WriteArguments(arguments), cancellationToken: cancellationToken).ConfigureAwait(false);
        return pod.ReadResult(result);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _channel.Dispose();
        await _deployment.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"pods in Kubernetes pod {Pod.Namespace}/{Pod.PodName} at {_channel.Address}";
}
