using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// A real registry for the tests: Debian's <c>docker-registry</c> (the CNCF distribution server) serving
/// 127.0.0.1 on a free port with filesystem storage in a temporary directory, so tests can also reach into its
/// storage to tamper with blobs. A missing binary fails the tests (it is a prerequisite, not an option).
/// </summary>
public class DockerRegistryFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private Process? _process;
    private readonly StringBuilder _log = new();

    /// <summary>host:port of the running registry.</summary>
    public string Registry { get; private set; } = "";

    /// <summary>The registry's storage root (filesystem driver).</summary>
    public string StorageRoot { get; private set; } = "";

    private string _directory = "";

    /// <summary>Whether the registry serves HTTPS with a test CA's certificate and wants htpasswd (bcrypt) Basic auth.</summary>
    protected virtual bool Secure => false;

    /// <summary>The CA whose certificate the registry serves, when <see cref="Secure"/>.</summary>
    public TestCertificateAuthority? Authority { get; private set; }

    /// <summary>The one user of the registry's htpasswd file, when <see cref="Secure"/>.</summary>
    public const string Username = "arc-tester";

    /// <summary>That user's password.</summary>
    public const string Password = "correct horse battery staple";

    public async ValueTask InitializeAsync()
    {
        string binary = FindBinary()
            ?? throw new InvalidOperationException(
                "docker-registry is not installed (looked for /usr/bin/docker-registry and on PATH); the artifact store tests need a real " +
                "OCI registry: run scripts/install-prereqs.sh (as root) to install the Debian package docker-registry");
        _directory = TestScratch.Create().FullName;
        StorageRoot = Path.Combine(_directory, "storage");
        int port = TestPorts.Free();
        Registry = $"127.0.0.1:{port}";
        string config = Path.Combine(_directory, "config.yml");
        string secure = "";
        if (Secure)
        {
            Authority = new TestCertificateAuthority("Arc registry test CA");
            string certificate = Path.Combine(_directory, "registry.crt"), key = Path.Combine(_directory, "registry.key");
            Authority.WriteServerPem(certificate, key);
            string htpasswd = Path.Combine(_directory, "htpasswd");
            await File.WriteAllTextAsync(htpasswd, await HtpasswdLineAsync());
            secure = $"""

                  tls:
                    certificate: {certificate}
                    key: {key}
                auth:
                  htpasswd:
                    realm: arc-tests
                    path: {htpasswd}
                """;
        }
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {StorageRoot}
              delete:
                enabled: true
            http:
              addr: {Registry}
              secret: arc-tests-only{secure}
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient(ProbeHandler()) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartLimit;
        // A secure registry answers its anonymous /v2/ with a 401 challenge: that is ready too.
        var ready = Secure ? HttpStatusCode.Unauthorized : HttpStatusCode.OK;
        string scheme = Secure ? "https" : "http";
        string lastProblem = "no answer";
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with code {_process.ExitCode} before answering /v2/:\n{Logged()}");
            try
            {
                using var response = await http.GetAsync($"{scheme}://{Registry}/v2/");
                if (response.StatusCode == ready) return;
                lastProblem = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e) { lastProblem = e.InnerException?.Message ?? e.Message; }
            catch (TaskCanceledException) { lastProblem = "timed out"; }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"docker-registry did not answer {scheme}://{Registry}/v2/ within {StartLimit.TotalSeconds} s (last: {lastProblem}):\n{Logged()}");
            await Task.Delay(50);
        }
    }

    private HttpMessageHandler ProbeHandler()
    {
        var handler = new SocketsHttpHandler();
        if (Authority is { } authority)
        {
            // Trust exactly the test CA for the probe (the system's roots do not know it).
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => authority.Issued(certificate);
        }
        return handler;
    }

    /// <summary>The htpasswd line for <see cref="Username"/>, made by Apache's <c>htpasswd -B</c> (bcrypt, the only hash docker-registry accepts).</summary>
    private static async Task<string> HtpasswdLineAsync()
    {
        string binary = new[] { "/usr/bin/htpasswd" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(dir => Path.Combine(dir, "htpasswd"))).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "htpasswd is not installed; the registry credential tests make the registry's bcrypt password file with it: " +
                "run scripts/install-prereqs.sh (as root) to install the Debian package apache2-utils");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-B", "-b", "-n", Username, Password }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"htpasswd failed ({process.ExitCode}): {error}");
        return output.Trim() + "\n";
    }

    /// <summary>Where the registry keeps the bytes of blob <paramref name="hex"/> (manifests are blobs too).</summary>
    public string BlobDataPath(string hex) => Path.Combine(StorageRoot, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        Authority?.Dispose();
        try
        {
            if (_directory.Length > 0) Directory.Delete(_directory, recursive: true);
        }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private string Logged()
    {
        lock (_log) return _log.ToString();
    }

    private static string? FindBinary()
    {
        if (File.Exists("/usr/bin/docker-registry")) return "/usr/bin/docker-registry";
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "docker-registry")).FirstOrDefault(File.Exists);
    }

}

/// <summary>
/// The same real docker-registry, secured as a private registry is: HTTPS with a certificate from a test CA, and Basic
/// auth against an htpasswd file (one user, bcrypt).
/// </summary>
public sealed class SecureDockerRegistryFixture : DockerRegistryFixture
{
    protected override bool Secure => true;
}

[CollectionDefinition(Name)]
public sealed class SecureDockerRegistryCollection : ICollectionFixture<SecureDockerRegistryFixture>
{
    public const string Name = "docker-registry-secure";
}

[CollectionDefinition(Name)]
public sealed class DockerRegistryCollection : ICollectionFixture<DockerRegistryFixture>
{
    public const string Name = "docker-registry";
}
