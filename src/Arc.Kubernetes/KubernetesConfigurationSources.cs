namespace Arc.Kubernetes;

/// <summary>
/// Where <see cref="KubernetesConfiguration"/> looks for a cluster: the process environment (<c>KUBECONFIG</c>,
/// <c>HOME</c>, <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, <c>POD_NAMESPACE</c>) and the service-account folder a pod
/// has mounted. <see cref="System"/> is the real ones; tests pass their own, so they neither read nor change this
/// process's environment and can stand in for a pod.
/// </summary>
/// <param name="Variable">Reads an environment variable (null when unset).</param>
/// <param name="ServiceAccountDirectory">The folder holding the pod's service-account <c>token</c>, <c>ca.crt</c> and <c>namespace</c>.</param>
internal sealed record KubernetesConfigurationSources(Func<string, string?> Variable, string ServiceAccountDirectory)
{
    /// <summary>Where Kubernetes mounts a pod's service account.</summary>
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>This process's environment and the standard service-account folder.</summary>
    public static KubernetesConfigurationSources System { get; } = new(Environment.GetEnvironmentVariable, DefaultServiceAccountDirectory);

    /// <summary>The kubeconfig kubectl reads when neither <c>--kubeconfig</c> nor <c>KUBECONFIG</c> names one: <c>~/.kube/config</c>.</summary>
    public string? DefaultKubeconfigPath
        => (OperatingSystem.IsWindows() ? Variable("USERPROFILE") : Variable("HOME")) is { Length: > 0 } home
            ? Path.Combine(home, ".kube", "config")
            : null;
}
