using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// A real registry for the tests: Debian's <c>docker-registry</c> (the CNCF distribution server) serving
/// 127.0.0.1 on a free port with filesystem storage in a temporary directory, so tests can also reach into its
/// storage to tamper with blobs. A missing binary fails the tests (it is a prerequisite, not an option).
/// </summary>
public sealed class DockerRegistryFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private Process? _process;
    private readonly StringBuilder _log = new();

    /// <summary>host:port of the running registry.</summary>
    public string Registry { get; private set; } = "";

    /// <summary>The registry's storage root (filesystem driver).</summary>
    public string StorageRoot { get; private set; } = "";

    private string _directory = "";

    public async ValueTask InitializeAsync()
    {
        string binary = FindBinary()
            ?? throw new InvalidOperationException(
                "docker-registry is not installed (looked for /usr/bin/docker-registry and on PATH); the artifact store tests need a real " +
                "OCI registry: run scripts/install-prereqs.sh (as root) to install the Debian package docker-registry");
        _directory = Directory.CreateTempSubdirectory("arc-registry-").FullName;
        StorageRoot = Path.Combine(_directory, "storage");
        int port = FreePort();
        Registry = $"127.0.0.1:{port}";
        string config = Path.Combine(_directory, "config.yml");
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
              secret: arc-tests-only
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with code {_process.ExitCode} before answering /v2/:\n{Logged()}");
            try
            {
                using var response = await http.GetAsync($"http://{Registry}/v2/");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"docker-registry did not answer http://{Registry}/v2/ within {StartLimit.TotalSeconds} s:\n{Logged()}");
            await Task.Delay(50);
        }
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class DockerRegistryCollection : ICollectionFixture<DockerRegistryFixture>
{
    public const string Name = "docker-registry";
}
