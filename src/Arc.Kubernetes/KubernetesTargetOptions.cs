namespace Arc.Kubernetes;

/// <summary>
/// How <c>Target.Kubernetes</c> (Arc.Sdk) runs workers in a cluster: which cluster (kubeconfig and context), which namespace,
/// the image that holds the worker and the user's assembly, the resources each worker asks for, and how long it may take
/// to become ready. Only <see cref="Image"/> is required.
/// </summary>
public sealed record KubernetesTargetOptions
{
    /// <summary>The port a worker listens on inside its pod when <see cref="Port"/> is not set.</summary>
    public const int DefaultPort = 7070;

    /// <summary>
    /// The deploy image from the registry, e.g. <c>registry.example.com/team/mnist-worker:1.4</c>. It must hold the
    /// <c>Arc.Worker</c> program and the user's assembly with its dependencies under <see cref="AppDirectory"/> (a
    /// <c>dotnet publish</c> of a program that references Arc.Worker, on an ASP.NET Core runtime image).
    /// </summary>
    public required string Image { get; init; }

    /// <summary>
    /// The kubeconfig file, read alone (like kubectl's <c>--kubeconfig</c>). Null: as kubectl finds it — the files listed
    /// in <c>KUBECONFIG</c> merged with kubectl's rules (the first file to set a value or a named cluster, user or
    /// context wins; empty entries and missing files are skipped), else <c>~/.kube/config</c>; and with no kubeconfig,
    /// in a pod, the pod's service account (<c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, the token and CA certificate
    /// under <c>/var/run/secrets/kubernetes.io/serviceaccount</c>). See docs/kubernetes.md.
    /// </summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>
    /// The kubeconfig context to use, like kubectl's <c>--context</c>: any context of the (merged) kubeconfig. Null: its
    /// <c>current-context</c>, taken from the first file that sets one.
    /// </summary>
    public string? Context { get; init; }

    /// <summary>Where the cluster is looked for (environment, service-account folder); null: this process's. For tests.</summary>
    internal KubernetesConfigurationSources? ConfigurationSources { get; init; }

    /// <summary>The namespace to create workers in. Null: the context's namespace, else <c>default</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary>The folder in the image that holds <c>Arc.Worker.dll</c> and the user's assembly.</summary>
    public string AppDirectory { get; init; } = "/app";

    /// <summary>
    /// The file name of the user's assembly inside <see cref="AppDirectory"/>. Null: the file name of the assembly the
    /// model class was loaded from here (the image is expected to be a publish of the same program).
    /// </summary>
    public string? ModelAssemblyFileName { get; init; }

    /// <summary>When the kubelet pulls the image; <c>IfNotPresent</c> lets images loaded into kind nodes be used.</summary>
    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>What each worker's container asks for (CPU, memory, GPUs).</summary>
    public KubernetesResources Resources { get; init; } = new();

    /// <summary>
    /// More labels for every object created. The labels Arc sets itself (<c>app.kubernetes.io/managed-by</c>,
    /// <c>app.kubernetes.io/name</c>, <c>arc.dev/model</c>, <c>arc.dev/deployment</c>) cannot be set here.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The port the worker listens on in its pod (on all interfaces), and the Service's port.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>How long a pod may take to be scheduled, pull its image, load the model and pass its readiness probe.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the pod's status is read while waiting for it to become ready.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The address to connect to once the pod is ready. Null: <c>https://{pod IP}:{port}</c>, which works from inside the
    /// cluster network. From outside, return e.g. the local end of a port-forward to the pod started here. It must be an
    /// <c>https://</c> address: the worker serves TLS only, and the client pins the deployment's certificate.
    /// </summary>
    public Func<KubernetesWorkerPod, CancellationToken, ValueTask<Uri>>? ConnectAddress { get; init; }

    /// <summary>
    /// Who else may connect to the worker's port. Each deployment has a NetworkPolicy that admits, to the worker port
    /// only, the pods in the worker's namespace that carry <c>app.kubernetes.io/managed-by: arc</c> and all of
    /// <see cref="Labels"/> (what this deployer labels its own workloads with); every peer here is admitted as well.
    /// Empty (the default): nothing more. A client outside the cluster network (e.g. a laptop with a route to the pods)
    /// needs an <see cref="KubernetesNetworkPeer.IpBlock"/>; a port-forward enters through the pod's own loopback and is
    /// not subject to the policy. The policy holds only where the cluster's network plugin enforces NetworkPolicy.
    /// </summary>
    public IReadOnlyList<KubernetesNetworkPeer> AllowedFrom { get; init; } = [];

    /// <summary>
    /// The user id (and group id, and <c>fsGroup</c>) the worker runs as; never root (<c>runAsNonRoot: true</c>). The
    /// deployment's Secret is mounted readable by this group. Default 65534 (<c>nobody</c>), as in Arc's worker images.
    /// </summary>
    public long RunAsUser { get; init; } = 65534;
}

/// <summary>
/// A peer the worker's NetworkPolicy admits (<see cref="KubernetesTargetOptions.AllowedFrom"/>), as a NetworkPolicy
/// <c>from</c> entry: pods by label in the worker's namespace (<see cref="PodLabels"/> only), every pod of the namespaces
/// with some labels (<see cref="NamespaceLabels"/> only), pods by label in those namespaces (both), or an address range
/// (<see cref="IpBlock"/>, alone). An empty dictionary matches everything: <c>PodLabels = {}</c> admits every pod of the
/// worker's namespace.
/// </summary>
public sealed record KubernetesNetworkPeer
{
    /// <summary>Labels the client pods carry (all must match); null: any pod of the selected namespaces.</summary>
    public IReadOnlyDictionary<string, string>? PodLabels { get; init; }

    /// <summary>Labels of the client pods' namespaces, e.g. <c>kubernetes.io/metadata.name: notebooks</c>; null: the worker's namespace.</summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels { get; init; }

    /// <summary>An address range in CIDR form, e.g. <c>10.0.0.0/8</c>; cannot be combined with labels.</summary>
    public string? IpBlock { get; init; }
}

/// <summary>
/// The resources a worker's container asks for, in Kubernetes quantity syntax. CPU and memory are requests (what the
/// scheduler reserves); memory is also the limit, so a runaway worker is killed rather than its neighbours. CPU gets no
/// limit (a limit only throttles). GPUs are an extended resource, which Kubernetes takes as a limit only.
/// </summary>
public sealed record KubernetesResources
{
    /// <summary>CPU to reserve, e.g. <c>500m</c> or <c>2</c>; null: none requested.</summary>
    public string? Cpu { get; init; }

    /// <summary>Memory to reserve and cap at, e.g. <c>2Gi</c>; null: none requested.</summary>
    public string? Memory { get; init; }

    /// <summary>Whole NVIDIA GPUs (<c>nvidia.com/gpu</c>); 0: none.</summary>
    public int Gpus { get; init; }
}

/// <summary>A worker pod that is ready, as <see cref="KubernetesTargetOptions.ConnectAddress"/> sees it.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="PodName">The pod's name.</param>
/// <param name="ServiceName">The Service in front of it (same name).</param>
/// <param name="PodIP">The pod's IP address in the cluster network.</param>
/// <param name="Port">The port the worker listens on in the pod.</param>
public sealed record KubernetesWorkerPod(string Namespace, string PodName, string ServiceName, string PodIP, int Port);
