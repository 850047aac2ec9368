using k8s;
using Arc.Kubernetes;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

public abstract partial class Target
{
    /// <summary>
    /// Registered models and jobs, and <c>[Pod]</c> methods, in pods of a Kubernetes cluster (the user's kubeconfig, read
    /// as kubectl reads it): each deployment creates a Pod running <c>Arc.Worker</c> from
    /// <see cref="KubernetesTargetOptions.Image"/> with what to serve in its environment (a model's hyperparameters, a
    /// job's parameters, or every pod of an assembly), and a Service in front of it; waits until the pod is Ready; then connects to it over
    /// gRPC with TLS. Each deployment has its own worker token and TLS key in a Secret mounted into the pod, and a
    /// NetworkPolicy that admits only the deployer's pods (<see cref="KubernetesTargetOptions.AllowedFrom"/> widens it);
    /// the client sends the token and pins the deployment's certificate. Disposing the deployed model (or job, or pod worker)
    /// deletes the pod, service, policy and secret; so does any failure on the way. See docs/kubernetes.md.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (the message names which one).</exception>
    public static Target Kubernetes(KubernetesTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        KubernetesManifests.Validate(options);
        return new KubernetesTarget(options);
    }

    /// <summary>
    /// Develop mode in the cluster: as <see cref="Kubernetes"/>, and <c>MyModel.DevelopAsync(target, ...)</c> (likewise a
    /// job's, and <see cref="DevelopPodsAsync"/>) starts a pod with the develop worker (<c>ARC_WORKER_DEVELOP=1</c>) from
    /// <see cref="KubernetesTargetOptions.Image"/>, which needs only Arc.Worker: the build folder of the model's assembly
    /// travels to it as in local develop mode — only the files the pod does not hold yet, content-addressed — and each
    /// <c>ReloadAsync</c> (or <c>Watch</c>) after a rebuild sends what changed and swaps the code in the same pod. The
    /// pod keeps the target's TLS, token and NetworkPolicy; disposing the develop model deletes it. See docs/develop-mode.md.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (the message names which one).</exception>
    public static Target KubernetesDevelop(KubernetesTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        KubernetesManifests.Validate(options);
        return new KubernetesTarget(options, develop: true);
    }

    private sealed partial class KubernetesTarget(KubernetesTargetOptions options, bool develop = false) : Target(develop ? "kubernetes-develop" : "kubernetes")
    {
        internal override async ValueTask<TDeployed> DeployCoreAsync<TInstance, TDeployed>(IDeploymentKind<TInstance, TDeployed> kind,
            Func<TInstance> create, RegisteredStart? registered, CancellationToken cancellationToken)
        {
            if (registered is null)
                throw FactoryCannotGo(kind.Kind, "a pod",
                    $"My{kind.Kind}.Registration.DeployAsync(Target.Kubernetes(options), {kind.Kind.ParametersWord()})");
            var workload = kind.Kind switch
            {
                ArcKind.Model => KubernetesWorkloads.ForModel(registered.Registration, registered.ParametersWire(), options),
                ArcKind.Job => KubernetesWorkloads.ForJob(registered.Registration, registered.ParametersWire(), options),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind.Kind, "pods deploy with DeployPodsAsync"),
            };
            var worker = await StartWorkerAsync(workload, cancellationToken).ConfigureAwait(false);
            // The remote model or job owns the deployment: disposing it (or a failed connect) deletes the pod, service, policy and secret.
            return await kind.ConnectAsync(worker.Address, worker.Credentials.ClientOptions, worker.Deployment, cancellationToken).ConfigureAwait(false);
        }

        public override async ValueTask<PodWorker> DeployPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null, CancellationToken cancellationToken = default)
        {
            var worker = await StartWorkerAsync(KubernetesWorkloads.ForPods(pods, options), cancellationToken).ConfigureAwait(false);
            // The pod worker owns the deployment, as a remote model does.
            return await KubernetesPodWorker.ConnectAsync(this, worker.Address, worker.Credentials.ClientOptions, worker.Pod, worker.Deployment,
                cancellationToken).ConfigureAwait(false);
        }

        // Creates the workload's Secret, NetworkPolicy, Service and Pod, waits until the pod is ready, and works out the
        // address to connect to. On any failure everything created is deleted again.
        private async Task<StartedWorker> StartWorkerAsync(KubernetesWorkload workload, CancellationToken cancellationToken)
        {
            var config = KubernetesConfiguration.Build(options);
            string @namespace = options.Namespace ?? config.Namespace ?? "default";
            var namespaced = options with { Namespace = @namespace };
            // Made here, per deployment: the token and key exist only in this process and in the deployment's Secret.
            var credentials = KubernetesWorkerCredentials.Generate(KubernetesManifests.ObjectName(workload), @namespace);
            var deployment = await KubernetesWorkerDeployment.StartAsync(new k8s.Kubernetes(config), ownsClient: true, @namespace,
                KubernetesManifests.Secret(workload, namespaced, credentials), KubernetesManifests.NetworkPolicy(workload, namespaced),
                KubernetesManifests.Service(workload, namespaced), KubernetesManifests.Pod(workload, namespaced), options, cancellationToken).ConfigureAwait(false);
            try
            {
                var pod = new KubernetesWorkerPod(@namespace, deployment.Name, deployment.Name, deployment.Pod.Status.PodIP, options.Port);
                var address = options.ConnectAddress is { } connect
                    ? await connect(pod, cancellationToken).ConfigureAwait(false)
                    : new Uri($"https://{UriHostOf(pod.PodIP)}:{pod.Port}");
                if (address.Scheme != Uri.UriSchemeHttps)
                    throw new InvalidOperationException(
                        $"KubernetesTargetOptions.ConnectAddress returned {address}: the worker serves TLS only, so it must be an https:// address");
                // The certificate is pinned whatever name the address has: connecting by pod IP or through a port-forward works.
                return new StartedWorker(deployment, pod, address, credentials);
            }
            catch
            {
                await deployment.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        // An IPv6 pod IP needs brackets in a URL.
        private static string UriHostOf(string ip) => ip.Contains(':') ? $"[{ip}]" : ip;

        private sealed record StartedWorker(KubernetesWorkerDeployment Deployment, KubernetesWorkerPod Pod, Uri Address, KubernetesWorkerCredentials Credentials);
    }
}
