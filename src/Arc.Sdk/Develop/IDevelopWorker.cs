using Arc.Kubernetes;
using Arc.Remote;

namespace Arc.Sdk;

/// <summary>
/// The develop worker a <see cref="DevelopSession"/> talks to, wherever it runs: a child process on this machine
/// (<see cref="LocalDevelopWorker"/>) or a pod of a cluster (<see cref="KubernetesDevelopWorker"/>). The session needs
/// its address and credentials, a way to tell a dead worker from a failed call, and to stop it.
/// </summary>
internal interface IDevelopWorker : IAsyncDisposable
{
    /// <summary>Where it serves <c>arc.Develop</c> and the reloaded model, job or pods.</summary>
    Uri Address { get; }

    /// <summary>What a client needs besides the address: the token (and, for a pod, the pinned certificate).</summary>
    ArcChannelOptions ClientOptions { get; }

    /// <summary>The worker's process id on this machine; null when it runs in a pod.</summary>
    int? ProcessId { get; }

    /// <summary>The pod it runs in; null for a local process.</summary>
    KubernetesWorkerPod? Pod { get; }

    /// <summary>The worker in words, e.g. <c>develop worker (pid 123)</c> or <c>develop pod arc-tests/arc-dev-x-1a2b</c>.</summary>
    string Description { get; }

    /// <summary>The call's result; a worker that died first fails it naming the worker, where that can be seen.</summary>
    ValueTask<T> RaceAsync<T>(Task<T> call, string method);

    /// <summary>As <see cref="RaceAsync{T}"/> for a call without a result.</summary>
    ValueTask RaceAsync(ValueTask call, string method);
}

/// <summary>A develop worker in a child process (<see cref="Target.LocalProcess"/>): calls race its exit (<see cref="WorkerCallGuard"/>).</summary>
internal sealed class LocalDevelopWorker(WorkerProcess worker) : IDevelopWorker
{
    public Uri Address => worker.Address;

    public ArcChannelOptions ClientOptions => worker.ClientOptions;

    public int? ProcessId => worker.ProcessId;

    public KubernetesWorkerPod? Pod => null;

    public string Description => $"develop worker (pid {worker.ProcessId})";

    public ValueTask<T> RaceAsync<T>(Task<T> call, string method) => WorkerCallGuard.RaceAsync(worker, call, method);

    public ValueTask RaceAsync(ValueTask call, string method) => WorkerCallGuard.RaceAsync(worker, call, method);

    public ValueTask DisposeAsync() => worker.DisposeAsync();

    public override string ToString() => $"develop worker process {worker.ProcessId} at {worker.Address}";
}

/// <summary>
/// A develop worker in a pod (<see cref="Target.KubernetesDevelop"/>): its deployment (pod, service, network policy,
/// secret) is deleted when it is disposed. Calls are not raced against the pod: a pod that dies breaks the connection,
/// and the call fails with that, as a deployed model's calls on <see cref="Target.Kubernetes"/> do.
/// </summary>
internal sealed class KubernetesDevelopWorker(KubernetesWorkerDeployment deployment, KubernetesWorkerPod pod, Uri address, ArcChannelOptions clientOptions)
    : IDevelopWorker
{
    public Uri Address => address;

    public ArcChannelOptions ClientOptions => clientOptions;

    public int? ProcessId => null;

    public KubernetesWorkerPod? Pod => pod;

    public string Description => $"develop pod {pod.Namespace}/{pod.PodName}";

    public async ValueTask<T> RaceAsync<T>(Task<T> call, string method) => await call.ConfigureAwait(false);

    public ValueTask RaceAsync(ValueTask call, string method) => call;

    public ValueTask DisposeAsync() => deployment.DisposeAsync();

    public override string ToString() => $"develop pod {pod.Namespace}/{pod.PodName} at {address}";
}
