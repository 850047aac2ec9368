using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Arc.Remote;

/// <summary>
/// Decides whether a TLS worker's certificate is accepted (the pinned one exactly, or without a pin one the system
/// trusts) and remembers the last one refused, so that the failed call can say which certificate it was: the TLS stack
/// only reports that the handshake failed.
/// </summary>
internal sealed class WorkerCertificateCheck(X509Certificate2? pinned)
{
    private volatile RefusedWorkerCertificate? _lastRefused;

    /// <summary>The certificate the worker must present, or null for the system's trust store.</summary>
    public X509Certificate2? Pinned => pinned;

    /// <summary>The certificate refused by the latest handshake, or null when the latest handshake accepted one.</summary>
    public RefusedWorkerCertificate? LastRefused => _lastRefused;

    /// <summary>The TLS validation callback.</summary>
    public bool Validate(X509Certificate? presented, SslPolicyErrors errors)
    {
        // Pinning compares the whole certificate, not a name: the deployment made this certificate and nobody else holds its key.
        bool accepted = presented is not null && (pinned is null
            ? errors == SslPolicyErrors.None
            : presented.GetRawCertData().AsSpan().SequenceEqual(pinned.RawData));
        _lastRefused = accepted ? null : new RefusedWorkerCertificate(presented is null ? null : Thumbprint(presented), errors);
        return accepted;
    }

    /// <summary>A certificate's SHA-256 thumbprint in upper-case hex (SHA-1, <c>X509Certificate2.Thumbprint</c>, is not collision-resistant).</summary>
    public static string Thumbprint(X509Certificate certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);
}

/// <summary>What a refused handshake saw: the presented certificate's thumbprint (null when none was presented) and the system's verdict.</summary>
internal sealed record RefusedWorkerCertificate(string? PresentedThumbprint, SslPolicyErrors SystemErrors);
