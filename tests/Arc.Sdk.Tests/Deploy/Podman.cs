using System.Diagnostics;

namespace Arc.Sdk.Tests.Deploy;

/// <summary>
/// The real podman, with its own image store in a temporary folder (<c>--root</c>/<c>--runroot</c>) so tests never
/// touch the machine's images or containers, and the OCI runtime runc. A missing podman fails the test: it is a
/// prerequisite (scripts/install-prereqs.sh), not an option.
/// </summary>
internal sealed class Podman : IAsyncDisposable
{
    /// <summary>
    /// <c>podman run</c> options every container here needs: runc, the host's network (the worker listens on
    /// 127.0.0.1), and rlimits within what this machine lets a container set (runc fails "error setting rlimit" otherwise).
    /// </summary>
    public static readonly string[] RunOptions = ["--runtime", "runc", "--network", "host", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

    private readonly string _binary;
    private readonly string _directory;

    private Podman(string binary, string directory)
    {
        _binary = binary;
        _directory = directory;
    }

    public static Podman Create()
    {
        string binary = FindBinary()
            ?? throw new InvalidOperationException(
                "podman is not installed (looked for /usr/bin/podman and on PATH); the worker image tests run the image for real: " +
                "run scripts/install-prereqs.sh (as root) to install the Debian packages podman, runc and skopeo");
        // Not a TestScratch folder: podman refuses a --runroot longer than 50 characters, and an owned name is longer.
        return new Podman(binary, Directory.CreateTempSubdirectory("arc-podman-").FullName);
    }

    /// <summary>Runs <c>podman --root … --runroot … &lt;arguments&gt;</c>; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output, string Errors)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var start = new ProcessStartInfo(_binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--root", Path.Combine(_directory, "root"), "--runroot", Path.Combine(_directory, "runroot"),
                     "--tmpdir", Path.Combine(_directory, "tmp"), "--events-backend", "file" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit ?? TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"podman {string.Join(' ', start.ArgumentList)} did not finish in time: {await errors}");
        }
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>As <see cref="RunAsync"/>, failing with podman's errors on a non-zero exit code; returns stdout.</summary>
    public async Task<string> CheckedAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var (code, output, errors) = await RunAsync(arguments, cancellationToken);
        if (code != 0) throw new InvalidOperationException($"podman {string.Join(' ', arguments)} exited with {code}:\n{errors}\n{output}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        // Containers and image mounts live under the temporary root: remove them through podman, then the folder.
        try
        {
            await RunAsync(["rm", "--all", "--force", "--time", "0"], CancellationToken.None, TimeSpan.FromSeconds(30));
            await RunAsync(["rmi", "--all", "--force"], CancellationToken.None, TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException) { }
        try { Directory.Delete(_directory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static string? FindBinary()
    {
        if (File.Exists("/usr/bin/podman")) return "/usr/bin/podman";
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "podman")).FirstOrDefault(File.Exists);
    }
}
