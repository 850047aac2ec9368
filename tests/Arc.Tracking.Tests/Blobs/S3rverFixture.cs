using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Arc.Tracking.Tests;

/// <summary>
/// s3rver (npm package <c>s3rver</c>), an S3-compatible TEST server, not S3: it lets the S3 blob store run against a
/// real HTTP server speaking S3's protocol (signatures, multipart uploads, copies, ranges) on 127.0.0.1, with its
/// objects as files in a temporary folder that tests can damage. It is started on a free port chosen by the kernel
/// (port 0, read back from its "listening" line) and stopped after. scripts/install-prereqs.sh installs it into
/// artifacts/tools/s3rver; if it is missing or does not start, the tests fail with its output. It depends on nothing of
/// Arc, so the dataset and model tests link this file (with BlobTestScratch.cs) to run against the same server;
/// <see cref="S3rverStores"/> makes the tracking blob stores on it.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    /// <summary>The bucket made at start-up.</summary>
    public const string Bucket = "arc-blobs-test";

    /// <summary>s3rver's fixed credentials.</summary>
    public const string AccessKeyId = "S3RVER", SecretAccessKey = "S3RVER";

    static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    const int LogLines = 200;
    readonly Queue<string> _log = new();
    readonly BlobTestScratch _scratch = new("s3rver");
    Process? _process;

    /// <summary>http://127.0.0.1:port/ of the running server.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    /// <summary>The running server's process id (for measuring its memory).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("s3rver is not running");

    /// <summary>Where s3rver keeps the object <paramref name="key"/> of <see cref="Bucket"/> (its storage format).</summary>
    public string ObjectPath(string key) => Path.Combine(_scratch.Path, "data", Bucket, key + "._S3rver_object");

    /// <summary>The keys of <see cref="Bucket"/> under <paramref name="prefix"/>, read from s3rver's folder.</summary>
    public IReadOnlyList<string> KeysUnder(string prefix)
    {
        string bucket = Path.Combine(_scratch.Path, "data", Bucket);
        return Directory.EnumerateFiles(bucket, "*._S3rver_object", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(bucket, file)[..^"._S3rver_object".Length].Replace(Path.DirectorySeparatorChar, '/'))
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
    }

    public async ValueTask InitializeAsync()
    {
        string script = Path.Combine(RepositoryRoot(), "artifacts", "tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
            throw new InvalidOperationException(
                $"s3rver (the S3-compatible test server) is not installed at {script}; the S3 blob store tests need it: run scripts/install-prereqs.sh");
        string node = FindOnPath("node")
            ?? throw new InvalidOperationException("node is not installed; s3rver (the S3-compatible test server) needs it: run scripts/install-prereqs.sh");
        string data = Path.Combine(_scratch.Path, "data");
        Directory.CreateDirectory(data);
        var start = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { script, "--directory", data, "--address", "127.0.0.1", "--port", "0", "--configure-bucket", Bucket })
            start.ArgumentList.Add(argument);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pattern = new Regex(@"S3rver listening on 127\.0\.0\.1:(\d+)");
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {node} {script}");
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null) return;
            Log(e.Data);
            if (pattern.Match(e.Data) is { Success: true } match)
                listening.TrySetResult(new Uri($"http://127.0.0.1:{match.Groups[1].Value}/"));
        };
        _process.OutputDataReceived += onLine;
        _process.ErrorDataReceived += onLine;
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            $"s3rver (the S3-compatible test server) exited with code {_process.ExitCode} before listening:\n{Logged()}"));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            ServiceUrl = await listening.Task.WaitAsync(StartLimit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"s3rver (the S3-compatible test server) did not report listening within {StartLimit.TotalSeconds} s:\n{Logged()}");
        }
    }

    /// <summary>The server's last output lines, for failure messages.</summary>
    public string Logged()
    {
        lock (_log) return string.Join('\n', _log);
    }

    void Log(string line)
    {
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > LogLines) _log.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _scratch.Dispose();
    }

    static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Arc.Sdk.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Arc.Sdk.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>The tests that share one s3rver.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver (S3-compatible test server)";
}
