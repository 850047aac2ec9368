using System.Text;
using k8s.Models;
using Arc.Remote;

namespace Arc.Kubernetes;

/// <summary>
/// The Kubernetes objects for a <see cref="KubernetesWorkload"/>, as typed KubernetesClient models: a Secret (the token
/// and TLS key), a NetworkPolicy, a Service and a Pod for a serving worker, or a Job for batch work that runs to
/// completion. Everything carries the labels <c>app.kubernetes.io/managed-by: arc</c>, <c>app.kubernetes.io/name:
/// arc-worker</c>, <c>arc.dev/model</c> and <c>arc.dev/deployment</c>, so
/// <c>kubectl delete pod,svc,secret,networkpolicy,job -l arc.dev/deployment=ID</c> removes one deployment.
/// </summary>
/// <remarks>
/// Every pod runs locked down: not as root, read-only root file system (a writable emptyDir at <c>/tmp</c>, where .NET
/// and the worker write), no privilege escalation, no capabilities, the runtime's default seccomp profile, and no
/// service-account token (the worker never calls the API server). Secret values appear in the Secret's data only: the
/// pod refers to them by file path.
/// </remarks>
public static class KubernetesManifests
{
    /// <summary>The container's name in every pod.</summary>
    public const string ContainerName = "worker";

    /// <summary>The name of the worker's port in the pod spec (the readiness probe and the Service refer to it).</summary>
    public const string PortName = "arc";

    /// <summary>Where the deployment's Secret is mounted in the worker's container (read-only).</summary>
    public const string SecretDirectory = "/var/run/secrets/arc";

    /// <summary>The Secret's key holding the worker token.</summary>
    public const string TokenKey = "token";

    /// <summary>The Secret's key holding the worker's TLS certificate (PEM).</summary>
    public const string CertificateKey = "tls.crt";

    /// <summary>The Secret's key holding the worker's TLS private key (PEM).</summary>
    public const string PrivateKeyKey = "tls.key";

    /// <summary>The writable scratch folder (an emptyDir): the root file system is read-only.</summary>
    public const string TempDirectory = "/tmp";

    // The Secret's files are readable by their owner only; the kubelet adds group read for the pod's fsGroup (how the
    // non-root worker reads them), which ArcWorkerToken.ReadFile accepts. Nobody else on the node can read them.
    private const int SecretFileMode = 0b100_000_000; // 0400

    /// <summary>The labels Arc sets itself; <see cref="KubernetesTargetOptions.Labels"/> cannot override them.</summary>
    public static IReadOnlyList<string> ReservedLabels { get; } =
        ["app.kubernetes.io/managed-by", "app.kubernetes.io/name", "arc.dev/model", "arc.dev/deployment"];

    /// <summary>The name of the Pod, Service or Job: <c>arc-{model}-{deployment id}</c>, a valid DNS-1035 label.</summary>
    public static string ObjectName(KubernetesWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        string suffix = "-" + workload.DeploymentId;
        return "arc-" + DnsPart(workload.Name, 63 - "arc-".Length - suffix.Length) + suffix;
    }

    /// <summary>The labels of everything created for <paramref name="workload"/>: the user's, then Arc's own.</summary>
    public static Dictionary<string, string> Labels(KubernetesWorkload workload, KubernetesTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(options);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (ReservedLabels.Contains(key))
                throw new ArgumentException($"the label '{key}' is set by Arc and cannot be given in KubernetesTargetOptions.Labels", nameof(options));
            labels[key] = value;
        }
        labels["app.kubernetes.io/managed-by"] = "arc";
        labels["app.kubernetes.io/name"] = "arc-worker";
        labels["arc.dev/model"] = LabelValue(workload.Name);
        labels["arc.dev/deployment"] = workload.DeploymentId;
        return labels;
    }

    /// <summary>The pod of a serving worker: it binds the port on all interfaces and is ready when the port accepts connections.</summary>
    public static V1Pod Pod(KubernetesWorkload workload, KubernetesTargetOptions options)
        => new()
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = Metadata(workload, options),
            Spec = PodSpec(workload, options, serving: true),
        };

    /// <summary>
    /// The deployment's Secret (type Opaque, immutable): the worker token and the TLS certificate and key under
    /// <see cref="TokenKey"/>, <see cref="CertificateKey"/> and <see cref="PrivateKeyKey"/>, created before the pod that
    /// mounts it at <see cref="SecretDirectory"/>. The only manifest that holds secret values.
    /// </summary>
    public static V1Secret Secret(KubernetesWorkload workload, KubernetesTargetOptions options, KubernetesWorkerCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new()
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = Metadata(workload, options),
            Type = "Opaque",
            // Nothing should ever change a running worker's credentials under it.
            Immutable = true,
            Data = new Dictionary<string, byte[]>
            {
                [TokenKey] = Encoding.UTF8.GetBytes(credentials.Token),
                [CertificateKey] = Encoding.UTF8.GetBytes(credentials.CertificatePem),
                [PrivateKeyKey] = Encoding.UTF8.GetBytes(credentials.KeyPem),
            },
        };
    }

    /// <summary>
    /// The NetworkPolicy of a serving pod: ingress to the worker port only, from the pods in its namespace labelled
    /// <c>app.kubernetes.io/managed-by: arc</c> plus the user's <see cref="KubernetesTargetOptions.Labels"/>, and from each
    /// of <see cref="KubernetesTargetOptions.AllowedFrom"/>. Other ingress to the pod is denied; egress is not restricted.
    /// </summary>
    public static V1NetworkPolicy NetworkPolicy(KubernetesWorkload workload, KubernetesTargetOptions options)
    {
        var metadata = Metadata(workload, options);
        var deployer = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)) deployer[key] = value;
        deployer["app.kubernetes.io/managed-by"] = "arc";
        var from = new List<V1NetworkPolicyPeer> { new() { PodSelector = new V1LabelSelector { MatchLabels = deployer } } };
        foreach (var peer in options.AllowedFrom)
            from.Add(peer.IpBlock is { } cidr
                ? new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = cidr } }
                : new V1NetworkPolicyPeer
                {
                    PodSelector = peer.PodLabels is { } pods ? Selector(pods) : null,
                    NamespaceSelector = peer.NamespaceLabels is { } namespaces ? Selector(namespaces) : null,
                });
        return new()
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = metadata,
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["arc.dev/deployment"] = workload.DeploymentId } },
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty = from,
                        Ports = [new V1NetworkPolicyPort { Port = options.Port, Protocol = "TCP" }],
                    },
                ],
            },
        };
    }

    private static V1LabelSelector Selector(IReadOnlyDictionary<string, string> labels)
        => new() { MatchLabels = labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) };

    /// <summary>The ClusterIP Service in front of the pod, selecting it by its deployment id.</summary>
    public static V1Service Service(KubernetesWorkload workload, KubernetesTargetOptions options)
        => new()
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Metadata(workload, options),
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = new Dictionary<string, string> { ["arc.dev/deployment"] = workload.DeploymentId },
                Ports = [new V1ServicePort { Name = PortName, Port = options.Port, TargetPort = PortName, Protocol = "TCP" }],
            },
        };

    /// <summary>
    /// A Job that runs the worker once to completion (batch work): no port, no probe, never restarted or retried, so a
    /// failure shows as a failed Job rather than a loop; finished Jobs are removed after a day. Like the pod, it mounts
    /// the deployment's <see cref="Secret"/> (a worker does not start without its token): create that first.
    /// </summary>
    public static V1Job Job(KubernetesWorkload workload, KubernetesTargetOptions options)
        => new()
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = Metadata(workload, options),
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                TtlSecondsAfterFinished = 24 * 60 * 60,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Labels(workload, options) },
                    Spec = PodSpec(workload, options, serving: false),
                },
            },
        };

    private static V1ObjectMeta Metadata(KubernetesWorkload workload, KubernetesTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(options);
        return new V1ObjectMeta { Name = ObjectName(workload), NamespaceProperty = options.Namespace, Labels = Labels(workload, options) };
    }

    // A serving pod is never restarted in place: a restarted worker would have lost the model's trained state, so a
    // crash must show as a failed pod (and a failed call), not as a silently fresh model.
    private static V1PodSpec PodSpec(KubernetesWorkload workload, KubernetesTargetOptions options, bool serving)
    {
        Validate(options);
        string app = options.AppDirectory.TrimEnd('/');
        var env = new List<V1EnvVar>
        {
            Env(WorkerEnvironment.Marker, "1"),
            Env(WorkerEnvironment.Assembly, $"{app}/{workload.AssemblyFileName}"),
        };
        // The root file system is read-only: whatever looks in HOME for a place to write finds the scratch folder.
        env.Add(Env("HOME", TempDirectory));
        if (serving)
        {
            env.Add(Env(WorkerEnvironment.Bind, "0.0.0.0"));
            env.Add(Env(WorkerEnvironment.Port, options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        // Every worker needs its token to start at all (a Job's too); paths only: the values stay in the Secret (an
        // environment is visible in the pod spec and to the node).
        env.Add(Env(WorkerEnvironment.TokenFile, $"{SecretDirectory}/{TokenKey}"));
        env.Add(Env(WorkerEnvironment.TlsCertificate, $"{SecretDirectory}/{CertificateKey}"));
        env.Add(Env(WorkerEnvironment.TlsKey, $"{SecretDirectory}/{PrivateKeyKey}"));
        foreach (var (name, value) in workload.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            env.Add(Env(name, value));
        // The image may name something to serve in its own ENV (a worker image built for a model does), and a container
        // keeps the image's variables that the pod does not set: set every other selector empty (the worker reads empty
        // as unset), so one image serves a model, or the pods of its assembly, as the pod says.
        foreach (string selector in new[] { WorkerEnvironment.Model, WorkerEnvironment.Job, WorkerEnvironment.Pods })
            if (!workload.Variables.ContainsKey(selector))
                env.Add(Env(selector, ""));

        var container = new V1Container
        {
            Name = ContainerName,
            Image = options.Image,
            ImagePullPolicy = options.ImagePullPolicy,
            Command = ["dotnet", $"{app}/Arc.Worker.dll"],
            Env = env,
            Resources = Resources(options.Resources),
            SecurityContext = new V1SecurityContext
            {
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts =
            [
                new V1VolumeMount { Name = "tmp", MountPath = TempDirectory },
                new V1VolumeMount { Name = "arc-secret", MountPath = SecretDirectory, ReadOnlyProperty = true },
            ],
        };
        if (serving)
        {
            container.Ports = [new V1ContainerPort { Name = PortName, ContainerPort = options.Port, Protocol = "TCP" }];
            container.ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = PortName }, PeriodSeconds = 2 };
        }
        return new V1PodSpec
        {
            RestartPolicy = "Never",
            // The worker never calls the API server: a mounted service-account token would only be something to steal.
            AutomountServiceAccountToken = false,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = options.RunAsUser,
                RunAsGroup = options.RunAsUser,
                FsGroup = options.RunAsUser,
            },
            Containers = [container],
            Volumes =
            [
                new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
                new V1Volume { Name = "arc-secret", Secret = new V1SecretVolumeSource { SecretName = ObjectName(workload), DefaultMode = SecretFileMode } },
            ],
        };
    }

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    private static V1ResourceRequirements Resources(KubernetesResources resources)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        var limits = new Dictionary<string, ResourceQuantity>();
        if (resources.Cpu is { } cpu) requests["cpu"] = new ResourceQuantity(cpu);
        if (resources.Memory is { } memory)
        {
            requests["memory"] = new ResourceQuantity(memory);
            limits["memory"] = new ResourceQuantity(memory);
        }
        if (resources.Gpus > 0) limits["nvidia.com/gpu"] = new ResourceQuantity(resources.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new V1ResourceRequirements { Requests = requests.Count > 0 ? requests : null, Limits = limits.Count > 0 ? limits : null };
    }

    /// <summary>Checks the options a manifest depends on, naming the bad one.</summary>
    internal static void Validate(KubernetesTargetOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Image))
            throw new ArgumentException("KubernetesTargetOptions.Image is required: the deploy image from the registry", nameof(options));
        if (options.Port is < 1 or > 65535)
            throw new ArgumentException($"KubernetesTargetOptions.Port {options.Port} is not a port number (1-65535)", nameof(options));
        if (options.Resources.Gpus < 0)
            throw new ArgumentException($"KubernetesResources.Gpus {options.Resources.Gpus} is negative", nameof(options));
        CheckQuantity(options.Resources.Cpu, "Cpu");
        CheckQuantity(options.Resources.Memory, "Memory");
        if (!options.AppDirectory.StartsWith('/'))
            throw new ArgumentException($"KubernetesTargetOptions.AppDirectory '{options.AppDirectory}' is not an absolute path", nameof(options));
        if (options.RunAsUser <= 0)
            throw new ArgumentException($"KubernetesTargetOptions.RunAsUser {options.RunAsUser} is not a non-root user id (1 or more)", nameof(options));
        for (int i = 0; i < options.AllowedFrom.Count; i++)
        {
            var peer = options.AllowedFrom[i] ?? throw new ArgumentException($"KubernetesTargetOptions.AllowedFrom[{i}] is null", nameof(options));
            if (peer.IpBlock is { } cidr)
            {
                if (peer.PodLabels is not null || peer.NamespaceLabels is not null)
                    throw new ArgumentException($"KubernetesTargetOptions.AllowedFrom[{i}] has an IpBlock and labels: a NetworkPolicy peer is one or the other", nameof(options));
                if (!System.Net.IPNetwork.TryParse(cidr, out _))
                    throw new ArgumentException($"KubernetesTargetOptions.AllowedFrom[{i}].IpBlock '{cidr}' is not an address range in CIDR form (e.g. 10.0.0.0/8)", nameof(options));
            }
            else if (peer.PodLabels is null && peer.NamespaceLabels is null)
                throw new ArgumentException($"KubernetesTargetOptions.AllowedFrom[{i}] admits nobody: set PodLabels, NamespaceLabels or IpBlock", nameof(options));
        }
    }

    private static void CheckQuantity(string? text, string what)
    {
        if (text is null) return;
        try
        {
            var quantity = new ResourceQuantity(text);
            if (quantity.ToDecimal() <= 0) throw new FormatException("not positive");
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new ArgumentException(
                $"KubernetesResources.{what} '{text}' is not a Kubernetes quantity (e.g. 500m, 2, 512Mi, 4Gi): {e.Message}", nameof(KubernetesTargetOptions), e);
        }
    }

    // Lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (DNS-1035).
    private static string DnsPart(string name, int maxLength)
    {
        var part = new StringBuilder(name.Length);
        foreach (char c in name.ToLowerInvariant())
            part.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        string text = part.ToString();
        if (text.Length > maxLength) text = text[..maxLength];
        text = text.Trim('-');
        return text.Length == 0 ? "model" : text;
    }

    // Label values: at most 63 characters of letters, digits, '-', '_', '.', starting and ending with a letter or digit.
    private static string LabelValue(string name)
    {
        string text = name.Length > 63 ? name[..63] : name;
        return text.Trim('-', '_', '.');
    }
}
