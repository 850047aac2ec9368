using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Authentication;

namespace Arc.Kubernetes;

/// <summary>
/// The cluster a program running in a pod is in, as client-go's <c>rest.InClusterConfig</c> finds it: the API server at
/// <c>https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT</c>, the pod's service-account token (re-read as the
/// kubelet rotates it) and the cluster's CA certificate from the service-account folder, and the namespace from
/// <c>POD_NAMESPACE</c>, else the folder's <c>namespace</c> file.
/// </summary>
internal static class InClusterConfiguration
{
    public const string HostVariable = "KUBERNETES_SERVICE_HOST";
    public const string PortVariable = "KUBERNETES_SERVICE_PORT";
    public const string NamespaceVariable = "POD_NAMESPACE";
    public const string TokenFile = "token";
    public const string CertificateAuthorityFile = "ca.crt";
    public const string NamespaceFile = "namespace";

    /// <summary>Whether this looks like a pod: the service variables are set and the token file exists (client-go's test).</summary>
    public static bool IsPossible(KubernetesConfigurationSources sources)
        => sources.Variable(HostVariable) is { Length: > 0 }
           && sources.Variable(PortVariable) is { Length: > 0 }
           && File.Exists(Path.Combine(sources.ServiceAccountDirectory, TokenFile));

    /// <summary>The in-cluster configuration; call only when <see cref="IsPossible"/>.</summary>
    /// <exception cref="InvalidOperationException">The port is not a port, or the CA certificate is missing or unreadable.</exception>
    public static KubernetesClientConfiguration Build(KubernetesConfigurationSources sources)
    {
        string host = sources.Variable(HostVariable)!;
        string port = sources.Variable(PortVariable)!;
        if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
            throw new InvalidOperationException($"{PortVariable} is '{port}', not a port number: the in-cluster configuration cannot be used");
        // The token alone proves nothing about the server: without the cluster's CA the connection cannot be trusted.
        string authority = Path.Combine(sources.ServiceAccountDirectory, CertificateAuthorityFile);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(authority);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"running in a pod ({HostVariable} is set), but the cluster's CA certificate {authority} cannot be read: {e.Message}", e);
        }
        if (certificates.Count == 0)
            throw new InvalidOperationException($"running in a pod ({HostVariable} is set), but {authority} holds no PEM certificate");
        return new KubernetesClientConfiguration
        {
            // An IPv6 service address needs brackets in a URL.
            Host = $"https://{(host.Contains(':') ? $"[{host}]" : host)}:{number}",
            SslCaCerts = certificates,
            TokenProvider = new TokenFileAuth(Path.Combine(sources.ServiceAccountDirectory, TokenFile)),
            Namespace = Namespace(sources),
        };
    }

    private static string? Namespace(KubernetesConfigurationSources sources)
    {
        if (sources.Variable(NamespaceVariable) is { Length: > 0 } fromVariable) return fromVariable;
        string file = Path.Combine(sources.ServiceAccountDirectory, NamespaceFile);
        return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } fromFile ? fromFile : null;
    }
}
