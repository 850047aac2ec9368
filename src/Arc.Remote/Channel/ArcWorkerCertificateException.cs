using System.Security.Authentication;

namespace Arc.Remote;

/// <summary>
/// The client refused a TLS worker's certificate during the handshake, before any request (and so before the token)
/// was sent: it is not the certificate pinned with <see cref="ArcChannelOptions.ServerCertificate"/>, or, with no pin,
/// not one the system trusts. Both thumbprints are SHA-256, in upper-case hex.
/// </summary>
public sealed class ArcWorkerCertificateException : AuthenticationException
{
    /// <summary>Creates the exception for a call to <paramref name="method"/> at <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The worker's address.</param>
    /// <param name="method">The call that could not be made.</param>
    /// <param name="presentedThumbprint">The thumbprint of the certificate the worker presented; null if it presented none.</param>
    /// <param name="pinnedThumbprint">The thumbprint of the pinned certificate; null when none was pinned.</param>
    /// <param name="systemVerdict">Why the system's trust store refused it, for the unpinned case (e.g. <c>RemoteCertificateChainErrors</c>).</param>
    /// <param name="inner">The failed call.</param>
    public ArcWorkerCertificateException(string endpoint, string method, string? presentedThumbprint, string? pinnedThumbprint,
        string systemVerdict, Exception inner)
        : base(Describe(endpoint, method, presentedThumbprint, pinnedThumbprint, systemVerdict), inner)
    {
        Endpoint = endpoint;
        PresentedThumbprint = presentedThumbprint;
        PinnedThumbprint = pinnedThumbprint;
    }

    /// <summary>The worker's address.</summary>
    public string Endpoint { get; }

    /// <summary>SHA-256 thumbprint of the certificate the worker presented, or null if it presented none.</summary>
    public string? PresentedThumbprint { get; }

    /// <summary>SHA-256 thumbprint of the pinned certificate (<see cref="ArcChannelOptions.ServerCertificate"/>), or null when none was pinned.</summary>
    public string? PinnedThumbprint { get; }

    private static string Describe(string endpoint, string method, string? presented, string? pinned, string systemVerdict)
    {
        string certificate = presented is null ? "presented no certificate" : $"presented a certificate with SHA-256 thumbprint {presented}";
        return pinned is not null
            ? $"refused the Arc worker at {endpoint} ({method}): it {certificate}, which does not match the pinned certificate " +
              $"(ArcChannelOptions.ServerCertificate, SHA-256 thumbprint {pinned}); nothing was sent to it. Another server answers " +
              "at this address, or the certificate pinned is another deployment's"
            : $"refused the Arc worker at {endpoint} ({method}): it {certificate}, which this machine does not trust ({systemVerdict}); " +
              "nothing was sent to it. Pin the deployment's certificate with ArcChannelOptions.ServerCertificate";
    }
}
