using System.Diagnostics;
using System.Runtime.InteropServices;
using Arc.Artifacts;
using Arc.Remote;

namespace Arc.Sdk;

/// <summary>
/// One running <c>Arc.Worker</c> child process serving one registered model on 127.0.0.1: started, waited on until it
/// prints its READY line, its stderr forwarded to the owner's log, killed (whole tree) on dispose. This process holds
/// the child's stdin: the first line is the worker's token (so it appears in no process listing or environment), and
/// the pipe's end tells the child its owner is gone, so a crashed owner leaves no worker behind.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const string ReadyPrefix = "ARC-WORKER-READY port=";
    private const int KeptErrorLines = 20;

    private readonly Process _process;
    private readonly Queue<string> _recentErrors = new();
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _exit = new();
    private int? _exitCode;
    private bool _disposed;

    private WorkerProcess(Process process, string modelName, string token)
    {
        _process = process;
        Token = token;
        ModelName = modelName;
        ProcessId = process.Id;
        Exited = process.WaitForExitAsync();
    }

    /// <summary>The served thing's registered name.</summary>
    public string ModelName { get; }

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited { get; }

    /// <summary>
    /// The exit code once the process has exited, else null. Kept at disposal: a disposed <see cref="Process"/> answers
    /// nothing, and a call failing after its deployment was disposed still asks.
    /// </summary>
    public int? ExitCode
    {
        get
        {
            lock (_exit)
            {
                if (_exitCode is null && !_disposed && _process.HasExited) _exitCode = _process.ExitCode;
                return _exitCode;
            }
        }
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>The worker's token, made for this process alone.</summary>
    public string Token { get; }

    /// <summary>What a client of this worker needs besides its address.</summary>
    public ArcChannelOptions ClientOptions => new() { Token = Token };

    /// <summary>Starts the worker and returns once it listens; throws <see cref="ArcWorkerExitedException"/> with its errors if it dies first.</summary>
    public static async Task<WorkerProcess> StartAsync(WorkerLaunch launch, LocalProcessOptions options, CancellationToken cancellationToken)
    {
        string workerPath = options.WorkerPath ?? DefaultWorkerPath();
        if (!File.Exists(workerPath))
            throw new FileNotFoundException(
                $"the Arc worker program {workerPath} does not exist: reference the Arc.Worker project from the program, " +
                "or set LocalProcessOptions.WorkerPath", workerPath);

        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(workerPath);
        start.Environment[WorkerEnvironment.Marker] = "1";
        start.Environment[WorkerEnvironment.Assembly] = launch.AssemblyPath;
        foreach (var (name, value) in launch.Variables)
            start.Environment[name] = value;
        start.Environment[WorkerEnvironment.Owner] = "stdin";
        // Variables a caller's environment may carry that would contradict the pipe: the token comes from us alone.
        start.Environment.Remove(WorkerEnvironment.TokenFile);

        string token = ArcWorkerToken.Generate();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {workerPath}");
        var worker = new WorkerProcess(process, launch.Name, token);
        try
        {
            // The pipe stays open for the worker's life: closing it (our exit, however it happens) stops the worker.
            await process.StandardInput.WriteLineAsync(token.AsMemory(), cancellationToken).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The worker died before reading; the wait below reports its exit with its errors.
        }
        var log = options.Log ?? (line => Console.Error.WriteLine(line));
        worker.ForwardErrors(log);
        _ = worker.ReadStandardOutputAsync(log);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ReadyTimeout);
        try
        {
            var first = await Task.WhenAny(worker._ready.Task, worker.Exited).WaitAsync(timeout.Token).ConfigureAwait(false);
            if (first != worker._ready.Task)
            {
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false); // drains stderr to its end
                throw new ArcWorkerExitedException(launch.Name, worker.ProcessId, worker.ExitCode,
                    $"before it was ready: {worker.RecentErrors()}");
            }
            worker.Address = new Uri($"http://127.0.0.1:{await worker._ready.Task.ConfigureAwait(false)}");
            return worker;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"worker '{launch.Name}' (pid {worker.ProcessId}) was not ready after {options.ReadyTimeout}: {worker.RecentErrors()}");
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The worker that a notebook extension prepared for a kernel that loaded Arc from NuGet packages (Arc.Interactive:
    /// a folder that gathers the packages' files, since the Arc.Sdk package's own Arc.Worker.dll has no runtimeconfig).
    /// </summary>
    internal static string? NotebookWorkerPath { get; set; }

    /// <summary>
    /// The worker beside the program, else a notebook's (<see cref="NotebookWorkerPath"/>), else the one beside
    /// Arc.Sdk.dll: a notebook's kernel is another program, and Arc.Interactive's build folder (which a notebook can load
    /// Arc from) holds a worker.
    /// </summary>
    private static string DefaultWorkerPath()
    {
        string besideProgram = Path.Combine(AppContext.BaseDirectory, "Arc.Worker.dll");
        if (File.Exists(besideProgram)) return besideProgram;
        if (NotebookWorkerPath is { } notebook && File.Exists(notebook)) return notebook;
        string? sdkFolder = Path.GetDirectoryName(typeof(WorkerProcess).Assembly.Location);
        string? besideSdk = string.IsNullOrEmpty(sdkFolder) ? null : Path.Combine(sdkFolder, "Arc.Worker.dll");
        return besideSdk is not null && File.Exists(besideSdk) ? besideSdk : besideProgram;
    }

    /// <summary>The last lines the worker wrote to stderr, for error messages.</summary>
    public string RecentErrors()
    {
        lock (_recentErrors)
            return _recentErrors.Count == 0 ? "(no output on stderr)" : string.Join(Environment.NewLine, _recentErrors);
    }

    private void ForwardErrors(Action<string> log)
    {
        string prefix = $"[worker {ModelName} {ProcessId}] ";
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_recentErrors)
            {
                _recentErrors.Enqueue(e.Data);
                if (_recentErrors.Count > KeptErrorLines) _recentErrors.Dequeue();
            }
            log(prefix + e.Data);
        };
        _process.BeginErrorReadLine();
    }

    // stdout carries the READY line; anything else there (a stray Console.WriteLine in user code) is forwarded as a log line.
    private async Task ReadStandardOutputAsync(Action<string> log)
    {
        string prefix = $"[worker {ModelName} {ProcessId}] ";
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (!_ready.Task.IsCompleted && line.StartsWith(ReadyPrefix, StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan(ReadyPrefix.Length), out int port))
                    _ready.TrySetResult(port);
                else
                    log(prefix + line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process was disposed while reading; nothing more to forward.
        }
    }

    /// <summary>
    /// Kills the worker and everything it started, waits until it is gone, and removes the temporary folders it could not
    /// (a killed worker never gets to: see <see cref="ArcTempPaths"/>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_exit)
        {
            if (_disposed) return;
        }
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        lock (_exit)
        {
            if (_disposed) return;
            if (_exitCode is null && _process.HasExited) _exitCode = _process.ExitCode; // kept for calls that fail after this
            _disposed = true;
        }
        _process.Dispose();
        ArcTempPaths.SweepDead();
    }

    // The dotnet host that runs this process: <root>/shared/Microsoft.NETCore.App/<version>/ is the runtime folder.
    internal static string DotnetHost()
    {
        string name = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == name) return self;
        string candidate = Path.Combine(Arc.Artifacts.DotnetRuntimeFiles.CurrentRoot(), name);
        return File.Exists(candidate) ? candidate : name;
    }
}
