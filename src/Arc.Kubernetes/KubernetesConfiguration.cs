using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Arc.Kubernetes;

/// <summary>
/// Finds the cluster as kubectl does: the file <see cref="KubernetesTargetOptions.KubeconfigPath"/> alone when set (like
/// <c>--kubeconfig</c>); else the files listed in <c>KUBECONFIG</c> (separated by <see cref="Path.PathSeparator"/>;
/// empty entries and missing files skipped), merged by <see cref="KubeconfigMerge"/>; else <c>~/.kube/config</c>. The
/// context is <see cref="KubernetesTargetOptions.Context"/> (like <c>--context</c>), else the merged
/// <c>current-context</c>. With no kubeconfig, or none that selects a context, a program running in a pod uses the
/// pod's service account (<see cref="InClusterConfiguration"/>).
/// </summary>
internal static class KubernetesConfiguration
{
    /// <summary>The variable that lists kubeconfig files.</summary>
    public const string KubeconfigVariable = "KUBECONFIG";

    /// <summary>The configuration for <paramref name="options"/>, from this process's environment (or the options' test sources).</summary>
    /// <exception cref="FileNotFoundException"><see cref="KubernetesTargetOptions.KubeconfigPath"/> does not exist.</exception>
    /// <exception cref="InvalidOperationException">No cluster can be found, or the kubeconfig does not hold the chosen context.</exception>
    public static KubernetesClientConfiguration Build(KubernetesTargetOptions options)
        => Build(options, options.ConfigurationSources ?? KubernetesConfigurationSources.System);

    /// <inheritdoc cref="Build(KubernetesTargetOptions)"/>
    public static KubernetesClientConfiguration Build(KubernetesTargetOptions options, KubernetesConfigurationSources sources)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sources);
        string? context = string.IsNullOrEmpty(options.Context) ? null : options.Context;
        var (files, origin) = Files(options, sources);
        if (files.Count == 0)
        {
            if (context is null && InClusterConfiguration.IsPossible(sources)) return InClusterConfiguration.Build(sources);
            throw new InvalidOperationException(context is null
                ? $"no Kubernetes cluster is configured: {origin}, and this is not a pod ({InClusterConfiguration.HostVariable} " +
                  $"and {InClusterConfiguration.PortVariable} unset, or no service-account token); set KubernetesTargetOptions.KubeconfigPath or {KubeconfigVariable}"
                : $"KubernetesTargetOptions.Context is '{context}', but there is no kubeconfig to find it in: {origin}" +
                  " (in a pod, leave Context unset to use the pod's service account)");
        }

        var merged = KubeconfigMerge.Load(files);
        string? chosen = context ?? (string.IsNullOrEmpty(merged.CurrentContext) ? null : merged.CurrentContext);
        if (chosen is null)
        {
            if (InClusterConfiguration.IsPossible(sources)) return InClusterConfiguration.Build(sources);
            throw new InvalidOperationException(
                $"{origin} sets no current-context: set KubernetesTargetOptions.Context to one of {Names(merged.Contexts.Select(c => c.Name))}, " +
                "or choose one with kubectl config use-context");
        }
        return ForContext(merged, chosen, fromOption: context is not null, origin);
    }

    // The kubeconfig files to read, in order, and a description of where they came from for errors.
    private static (IReadOnlyList<string> Files, string Origin) Files(KubernetesTargetOptions options, KubernetesConfigurationSources sources)
    {
        if (options.KubeconfigPath is { } explicitPath)
        {
            // Like kubectl --kubeconfig: that file alone, and it must exist.
            if (!File.Exists(explicitPath))
                throw new FileNotFoundException($"the kubeconfig file {explicitPath} (KubernetesTargetOptions.KubeconfigPath) does not exist", explicitPath);
            return ([explicitPath], $"the kubeconfig file {explicitPath}");
        }
        var listed = (sources.Variable(KubeconfigVariable) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (listed.Length > 0)
        {
            var existing = listed.Where(File.Exists).ToList();
            return (existing, existing.Count == 0
                ? $"none of the files in {KubeconfigVariable} exists ({string.Join(", ", listed)})"
                : $"{KubeconfigVariable} ({string.Join(", ", existing)})");
        }
        string? home = sources.DefaultKubeconfigPath;
        return home is not null && File.Exists(home)
            ? ([home], $"the kubeconfig file {home}")
            : ([], $"{KubeconfigVariable} is unset and {home ?? "~/.kube/config"} does not exist");
    }

    // Picks the context, its cluster and user exactly by name (kubeconfig names are case-sensitive; the client's own
    // lookup is not), and lets KubernetesClient build its configuration from those alone.
    private static KubernetesClientConfiguration ForContext(K8SConfiguration merged, string name, bool fromOption, string origin)
    {
        var context = merged.Contexts.FirstOrDefault(c => c.Name == name)
            ?? throw new InvalidOperationException(
                $"the kubeconfig context '{name}'{(fromOption ? " (KubernetesTargetOptions.Context)" : " (its current-context)")} is not in {origin}; " +
                $"its contexts are {Names(merged.Contexts.Select(c => c.Name))}");
        string? clusterName = context.ContextDetails?.Cluster;
        var cluster = merged.Clusters.FirstOrDefault(c => c.Name == clusterName)
            ?? throw new InvalidOperationException(
                $"the kubeconfig context '{name}' names the cluster '{clusterName}', which is not in {origin}; its clusters are {Names(merged.Clusters.Select(c => c.Name))}");
        string? userName = context.ContextDetails!.User;
        User? user = null;
        if (!string.IsNullOrEmpty(userName))
            user = merged.Users.FirstOrDefault(u => u.Name == userName)
                ?? throw new InvalidOperationException(
                    $"the kubeconfig context '{name}' names the user '{userName}', which is not in {origin}; its users are {Names(merged.Users.Select(u => u.Name))}");
        var selected = new K8SConfiguration
        {
            CurrentContext = name,
            Contexts = [context],
            Clusters = [cluster],
            Users = user is null ? [] : [user],
            Extensions = merged.Extensions,
            Preferences = merged.Preferences,
            FileName = merged.FileName,
        };
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(selected);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or System.Security.Cryptography.CryptographicException or FormatException)
        {
            throw new InvalidOperationException($"the kubeconfig context '{name}' in {origin} cannot be used: {e.Message}", e);
        }
    }

    private static string Names(IEnumerable<string> names)
        => names.ToList() is { Count: > 0 } list ? string.Join(", ", list.Select(n => $"'{n}'")) : "none";
}
