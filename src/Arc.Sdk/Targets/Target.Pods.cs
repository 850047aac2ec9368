using Arc.Hosting;
using Arc.Remote;

namespace Arc.Sdk;

public abstract partial class Target
{
    /// <summary>
    /// Starts a <see cref="PodWorker"/> on this target, for the generated remote forms of <c>[Pod]</c> methods. Pods run
    /// where the target says, never silently elsewhere: <see cref="InProcess"/> calls each method directly;
    /// <see cref="LoopbackWorker"/> serves <paramref name="pods"/> from an <see cref="ArcWorkerHost"/> in this process;
    /// <see cref="LocalProcess"/> starts an <c>Arc.Worker</c> process, and <see cref="Kubernetes"/> a pod of the cluster,
    /// that serves every pod registered by the assembly that declares <paramref name="pods"/>.
    /// </summary>
    /// <param name="pods">The pods to serve; null: every pod in <see cref="ArcRegistry.Pods"/> (for the targets that start a
    /// worker elsewhere: every pod of the program's entry assembly).</param>
    /// <param name="cancellationToken">Cancels starting the worker.</param>
    /// <exception cref="ArgumentException">The pods come from more than one assembly, and the target loads one.</exception>
    public abstract ValueTask<PodWorker> DeployPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null, CancellationToken cancellationToken = default);

    /// <summary>The in-process target's pods: each method called directly, in this process.</summary>
    private protected static ValueTask<PodWorker> DeployInProcessPodsAsync(Target target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<PodWorker>(new InProcessPodWorker(target));
    }

    /// <summary>The loopback target's pods: a real <see cref="ArcWorkerHost"/> on 127.0.0.1 in this process.</summary>
    private protected static async ValueTask<PodWorker> DeployLoopbackPodsAsync(Target target, IReadOnlyCollection<PodRegistration>? pods,
        CancellationToken cancellationToken)
    {
        var handler = new PodRegistrationHandler(pods ?? ArcRegistry.Pods);
        var host = await ArcWorkerHost.StartPodsAsync(handler, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new RemotePodWorker(target, new ArcChannel(host.Address, host.ClientOptions), host, process: null);
    }

    /// <summary>The local-process target's pods: an <c>Arc.Worker</c> child serving its assembly's pods.</summary>
    private protected static async ValueTask<PodWorker> DeployProcessPodsAsync(Target target, LocalProcessOptions options,
        IReadOnlyCollection<PodRegistration>? pods, CancellationToken cancellationToken)
    {
        var process = await WorkerProcess.StartAsync(WorkerLaunch.ForPods(pods, options), options, cancellationToken).ConfigureAwait(false);
        return new RemotePodWorker(target, new ArcChannel(process.Address, process.ClientOptions), owned: null, process);
    }
}
