using k8s;
using k8s.KubeConfigModels;

namespace Arc.Kubernetes;

/// <summary>
/// Reads a list of kubeconfig files into one configuration with kubectl's rules
/// (https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/#merging-kubeconfig-files):
/// the first file to set a value or a map key wins and it is never changed — a cluster, user, context or extension
/// named in two files is taken whole from the first, even where the second has fields the first lacks; the
/// <c>current-context</c> is the first one set; preferences merge field by field, the first file winning. Relative
/// paths in a file (certificate authority, client certificate and key, an exec plugin's command with a folder in it)
/// are resolved against that file's folder, as kubectl does, so files from different folders merge correctly.
/// </summary>
/// <remarks>
/// KubernetesClient 21.0.8 merges a <c>KUBECONFIG</c> list only inside <c>BuildDefaultConfig</c> (its list loader is
/// internal), and that merge resolves every relative path against the first file's folder, fails on an empty file and
/// on files of different <c>kind</c>, and cannot be combined with a context of our choosing; hence this class. It uses
/// the library's reader for each file.
/// </remarks>
internal static class KubeconfigMerge
{
    /// <summary>Reads and merges <paramref name="files"/>, in order; each must exist.</summary>
    /// <exception cref="InvalidOperationException">A file cannot be read as a kubeconfig (the message names it).</exception>
    public static K8SConfiguration Load(IReadOnlyList<string> files)
    {
        var merged = new K8SConfiguration { Clusters = [], Users = [], Contexts = [], Extensions = [], Preferences = new Dictionary<string, object>() };
        var clusters = new List<Cluster>();
        var users = new List<User>();
        var contexts = new List<Context>();
        var extensions = new List<NamedExtension>();
        foreach (string file in files)
        {
            var config = Read(file);
            if (config is null) continue;
            if (string.IsNullOrEmpty(merged.CurrentContext)) merged.CurrentContext = config.CurrentContext;
            merged.FileName ??= config.FileName;
            foreach (var (key, value) in config.Preferences ?? new Dictionary<string, object>())
                merged.Preferences.TryAdd(key, value);
            AddNew(clusters, config.Clusters, c => c.Name);
            AddNew(users, config.Users, u => u.Name);
            AddNew(contexts, config.Contexts, c => c.Name);
            AddNew(extensions, config.Extensions, e => e.Name);
        }
        merged.Clusters = clusters;
        merged.Users = users;
        merged.Contexts = contexts;
        merged.Extensions = extensions;
        return merged;
    }

    // Map keys are case-sensitive in kubeconfig, as in kubectl.
    private static void AddNew<T>(List<T> into, IEnumerable<T>? from, Func<T, string> name)
    {
        foreach (var item in from ?? [])
            if (item is not null && !into.Any(existing => string.Equals(name(existing), name(item), StringComparison.Ordinal)))
                into.Add(item);
    }

    /// <summary>One file, its relative paths made absolute; null for an empty file (kubectl reads it as an empty config).</summary>
    private static K8SConfiguration? Read(string file)
    {
        string full = Path.GetFullPath(file);
        if (string.IsNullOrWhiteSpace(File.ReadAllText(full))) return null;
        K8SConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(full), useRelativePaths: true);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new InvalidOperationException($"the kubeconfig file {full} cannot be read: {e.Message}", e);
        }
        string folder = Path.GetDirectoryName(full)!;
        foreach (var cluster in config.Clusters ?? [])
            if (cluster?.ClusterEndpoint is { } endpoint)
                endpoint.CertificateAuthority = Resolve(folder, endpoint.CertificateAuthority);
        foreach (var user in config.Users ?? [])
            if (user?.UserCredentials is { } credentials)
            {
                credentials.ClientCertificate = Resolve(folder, credentials.ClientCertificate);
                credentials.ClientKey = Resolve(folder, credentials.ClientKey);
                // A bare command name is looked up on PATH; only one with a folder in it is a path relative to the file.
                if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains(Path.DirectorySeparatorChar))
                    exec.Command = Resolve(folder, command);
            }
        return config;
    }

    private static string? Resolve(string folder, string? path)
        => string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path));
}
