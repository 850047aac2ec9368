using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Arc.Serving.Tests;

/// <summary><c>arc serve</c> as a child process (<c>dotnet Arc.Cli.dll serve …</c>), its address read from its first line.</summary>
internal sealed class ArcServe : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static string CliPath => typeof(ArcServe).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ArcCli").Value!;

    private ArcServe(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        start.ArgumentList.Add(CliPath);
        start.ArgumentList.Add("serve");
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stdout) _stdout.AppendLine(e.Data);
            const string marker = "listening on ";
            if (e.Data.Contains(marker, StringComparison.Ordinal)) _listening.TrySetResult(new Uri(e.Data[(e.Data.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim()));
            if (e.Data.StartsWith("ready", StringComparison.Ordinal)) _ready.TrySetResult();
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address => _listening.Task.Result;

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public int ProcessId => _process.Id;

    /// <summary>Starts <c>arc serve</c> and waits until it says the model is ready.</summary>
    public static Task<ArcServe> StartReadyAsync(params string[] args) => StartReadyAsync(null, args);

    /// <summary>Starts <c>arc serve</c> with <paramref name="environment"/> added to its own and waits until it says the model is ready.</summary>
    public static async Task<ArcServe> StartReadyAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var serve = new ArcServe(args, environment);
        var exited = serve._process.WaitForExitAsync();
        var done = await Task.WhenAny(serve._ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
        if (done != serve._ready.Task)
        {
            await serve.DisposeAsync();
            throw new InvalidOperationException($"arc serve did not become ready ({(done == exited ? "it exited " + serve._process.ExitCode : "timeout")});\nstdout:\n{serve.Stdout}\nstderr:\n{serve.Stderr}");
        }
        return serve;
    }

    /// <summary>Sends SIGTERM, what Kubernetes sends to stop a pod.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
