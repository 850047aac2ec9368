using System.Net;
using System.Security.Cryptography.X509Certificates;
using Arc.Hosting;
using Arc.Remote;

namespace Arc.Worker;

/// <summary>
/// Where and how the worker listens: <c>ARC_WORKER_BIND</c> (an IP address, default <c>127.0.0.1</c>),
/// <c>ARC_WORKER_PORT</c> (default 0: a free port, reported on the READY line), the owner's token
/// (<see cref="WorkerOwner"/>), for TLS <c>ARC_WORKER_TLS_CERTIFICATE</c> and <c>ARC_WORKER_TLS_KEY</c> (PEM files), and
/// the flood limits (<see cref="WorkerLimitVariables"/>).
/// </summary>
/// <remarks>
/// Loopback stays the default: a child of <c>Target.LocalProcess</c> is only ever called from its owner on the same
/// machine. A Kubernetes pod is reached by its pod IP from elsewhere, so its manifest sets <c>ARC_WORKER_BIND=0.0.0.0</c>,
/// a fixed port and the TLS files from the deployment's Secret; the host refuses a non-loopback address without TLS.
/// </remarks>
internal static class WorkerListen
{
    public static ArcWorkerOptions FromEnvironment(string token)
    {
        var options = new ArcWorkerOptions { Token = token, DetailedErrors = Environment.GetEnvironmentVariable(WorkerEnvironment.DetailedErrors) == "1" };
        if (Environment.GetEnvironmentVariable(WorkerEnvironment.Bind) is { Length: > 0 } bind)
        {
            if (!IPAddress.TryParse(bind, out var address))
                throw new InvalidOperationException($"{WorkerEnvironment.Bind}='{bind}' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)");
            options = options with { Address = address };
        }
        if (WorkerLimitVariables.Read(WorkerEnvironment.Port, minimum: 0, maximum: IPEndPoint.MaxPort) is { } port)
            options = options with { Port = port };
        string? certificate = Environment.GetEnvironmentVariable(WorkerEnvironment.TlsCertificate) is { Length: > 0 } c ? c : null;
        string? key = Environment.GetEnvironmentVariable(WorkerEnvironment.TlsKey) is { Length: > 0 } k ? k : null;
        if ((certificate is null) != (key is null))
            throw new InvalidOperationException($"{WorkerEnvironment.TlsCertificate} and {WorkerEnvironment.TlsKey} go together: set both PEM files, or neither");
        if (certificate is not null)
            options = options with { Certificate = LoadCertificate(certificate, key!) };
        return WorkerLimitVariables.Apply(options);
    }

    private static X509Certificate2 LoadCertificate(string certificatePath, string keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Kestrel on Linux needs the key in an exportable, persisted form; a PKCS#12 round trip gives it one.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"could not load the TLS certificate {certificatePath} with key {keyPath}: {e.Message}", e);
        }
    }
}
