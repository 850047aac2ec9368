using k8s;

namespace Arc.Kubernetes;

/// <summary>Finds the cluster the way kubectl does, unless the options name a kubeconfig file or context.</summary>
internal static class KubernetesConfiguration
{
    public static KubernetesClientConfiguration Build(KubernetesTargetOptions options)
    {
        if (options.KubeconfigPath is null && options.Context is null)
            return KubernetesClientConfiguration.BuildDefaultConfig();
        string? path = options.KubeconfigPath
            ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (path is not null && !File.Exists(path))
            throw new FileNotFoundException($"the kubeconfig file {path} does not exist", path);
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, options.Context);
    }
}
