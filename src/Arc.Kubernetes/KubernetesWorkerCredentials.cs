using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Arc.Remote;

namespace Arc.Kubernetes;

/// <summary>
/// The secrets of one Kubernetes deployment: the worker token, and a TLS key with a self-signed certificate made for
/// this deployment alone. <see cref="KubernetesManifests.Secret"/> puts them in the deployment's Secret (the only
/// manifest that holds them); the client sends <see cref="Token"/> and pins <see cref="Certificate"/>.
/// </summary>
/// <remarks>
/// The certificate is pinned, not validated against a certificate authority: nobody but this deployment holds its key,
/// so presenting exactly this certificate proves the peer is the deployment's worker. Its names (the Service's DNS
/// names) are there for tools such as <c>openssl s_client</c>, not for the pin; the pod IP cannot be among them because
/// the Secret must exist before the pod that gets the IP.
/// </remarks>
public sealed class KubernetesWorkerCredentials
{
    /// <summary>How long a deployment's certificate is valid: a worker is not meant to outlive it.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(30);

    private KubernetesWorkerCredentials(string token, string certificatePem, string keyPem, X509Certificate2 certificate)
    {
        Token = token;
        CertificatePem = certificatePem;
        KeyPem = keyPem;
        Certificate = certificate;
    }

    /// <summary>The worker token (<see cref="ArcWorkerToken.Generate"/>).</summary>
    public string Token { get; }

    /// <summary>The certificate in PEM form (<c>tls.crt</c> in the Secret).</summary>
    public string CertificatePem { get; }

    /// <summary>The certificate's private key in PKCS#8 PEM form (<c>tls.key</c> in the Secret).</summary>
    public string KeyPem { get; }

    /// <summary>The certificate without its key: what the client pins (<see cref="ArcChannelOptions.ServerCertificate"/>).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// A fresh token, and an ECDSA P-256 key with a certificate for the Service <paramref name="serviceName"/> in
    /// <paramref name="namespace"/> (<c>name</c>, <c>name.ns</c>, <c>name.ns.svc</c>, <c>name.ns.svc.cluster.local</c>),
    /// valid from five minutes ago (clock skew between this machine and the node) for <see cref="Validity"/>.
    /// </summary>
    public static KubernetesWorkerCredentials Generate(string serviceName, string @namespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={serviceName}.{@namespace}.svc"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (string name in new[] { serviceName, $"{serviceName}.{@namespace}", $"{serviceName}.{@namespace}.svc", $"{serviceName}.{@namespace}.svc.cluster.local" })
            names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth
        var now = DateTimeOffset.UtcNow;
        using var withKey = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));
        string certificatePem = withKey.ExportCertificatePem();
        return new KubernetesWorkerCredentials(ArcWorkerToken.Generate(), certificatePem, key.ExportPkcs8PrivateKeyPem(),
            X509CertificateLoader.LoadCertificate(withKey.RawData));
    }

    /// <summary>What the client connects with: the token, and the certificate to pin.</summary>
    public ArcChannelOptions ClientOptions => new() { Token = Token, ServerCertificate = Certificate };
}
