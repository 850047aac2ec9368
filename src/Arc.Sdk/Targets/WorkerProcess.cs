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
    private const string StandbyLine = "ARC-WORKER-STANDBY";
    private const string StandbyName = "standby";
    private const int KeptErrorLines = 20;

    private readonly Process _process;
    private readonly Queue<string> _recentErrors = new();
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _warm = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _exit = new();
    private int? _exitCode;
    private bool _disposed;
    private volatile Action<string> _log;
    private volatile string _modelName;

    private WorkerProcess(Process process, string modelName, string token, Action<string> log)
    {
        _process = process;
        Token = token;
        _modelName = modelName;
        _log = log;
        ProcessId = process.Id;
        Exited = process.WaitForExitAsync();
    }

    /// <summary>The served thing's registered name (<c>standby</c> for a standby worker not yet assigned).</summary>
    public string ModelName => _modelName;

    /// <summary>Completes when a standby worker has warmed up and waits for its assignment.</summary>
    public Task Warm => _warm.Task;

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

    /// <summary>
    /// What a client of this worker needs besides its address. The worker runs on this machine as this user, so
    /// pipelined fitting hands it batches through shared memory files.
    /// </summary>
    public ArcChannelOptions ClientOptions => new() { Token = Token, SharedMemoryBatches = true };

    /// <summary>
    /// Starts the worker and returns once it listens; throws <see cref="ArcWorkerExitedException"/> with its errors if it
    /// dies first. With <see cref="LocalProcessOptions.StandbyWorkers"/> a warm standby worker is given the launch
    /// when one is ready (and, once the deployment is ready, another is started in its place); otherwise, or when the
    /// standby is gone, a new process.
    /// </summary>
    public static async Task<WorkerProcess> StartAsync(WorkerLaunch launch, LocalProcessOptions options, CancellationToken cancellationToken)
    {
        string workerPath = WorkerPathOf(options);
        var log = LogOf(options);
        if (options.StandbyWorkers == 0 || !WorkerAssignment.Fits(launch))
            return await SpawnReadyAsync(workerPath, launch, options, log, cancellationToken).ConfigureAwait(false);
        try
        {
            if (WorkerStandbyPool.Take(workerPath) is { } standby)
            {
                if (await standby.TryAssignAsync(launch, log, cancellationToken).ConfigureAwait(false))
                    return await standby.WaitReadyAsync(options, cancellationToken).ConfigureAwait(false);
                await standby.DisposeAsync().ConfigureAwait(false); // it died while it waited: start one the usual way
            }
            return await SpawnReadyAsync(workerPath, launch, options, log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            WorkerStandbyPool.TopUp(workerPath, options); // after the deployment, so that the new standby's start does not slow it
        }
    }

    private static async Task<WorkerProcess> SpawnReadyAsync(string workerPath, WorkerLaunch launch, LocalProcessOptions options,
        Action<string> log, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string>(launch.Variables) { [WorkerEnvironment.Assembly] = launch.AssemblyPath };
        var worker = await SpawnAsync(workerPath, launch.Name, variables, log, cancellationToken).ConfigureAwait(false);
        return await worker.WaitReadyAsync(options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a standby worker (<see cref="WorkerEnvironment.Standby"/>): it warms up (<see cref="Warm"/>) and waits
    /// for <see cref="TryAssignAsync"/>. Its log goes to <paramref name="options"/>' log until it is assigned.
    /// </summary>
    public static Task<WorkerProcess> StartStandbyAsync(string workerPath, LocalProcessOptions options, CancellationToken cancellationToken)
        => SpawnAsync(workerPath, StandbyName, new Dictionary<string, string> { [WorkerEnvironment.Standby] = "1" }, LogOf(options), cancellationToken);

    /// <summary>The worker program that <paramref name="options"/> name, or the default one (<see cref="DefaultWorkerPath"/>).</summary>
    public static string WorkerPathOf(LocalProcessOptions options)
    {
        string workerPath = options.WorkerPath ?? DefaultWorkerPath();
        if (!File.Exists(workerPath))
            throw new FileNotFoundException(
                $"the Arc worker program {workerPath} does not exist: reference the Arc.Worker project from the program, " +
                "or set LocalProcessOptions.WorkerPath", workerPath);
        return workerPath;
    }

    /// <summary>Where <paramref name="options"/> send worker log lines: their <see cref="LocalProcessOptions.Log"/>, else standard error.</summary>
    public static Action<string> LogOf(LocalProcessOptions options) => options.Log ?? (line => Console.Error.WriteLine(line));

    /// <summary>Starts the process with <paramref name="variables"/> and hands it its token on the pipe it keeps.</summary>
    private static async Task<WorkerProcess> SpawnAsync(string workerPath, string name, IReadOnlyDictionary<string, string> variables,
        Action<string> log, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(workerPath);
        start.Environment[WorkerEnvironment.Marker] = "1";
        foreach (var (variable, value) in variables)
            start.Environment[variable] = value;
        start.Environment[WorkerEnvironment.Owner] = "stdin";
        // Variables a caller's environment may carry that would contradict the pipe: the token comes from us alone.
        start.Environment.Remove(WorkerEnvironment.TokenFile);
        WorkerThreadSettings.Apply(start.Environment, Environment.ProcessorCount);

        string token = ArcWorkerToken.Generate();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {workerPath}");
        var worker = new WorkerProcess(process, name, token, log);
        // The pipe stays open for the worker's life: closing it (our exit, however it happens) stops the worker.
        await worker.TryWriteLineAsync(token, cancellationToken).ConfigureAwait(false);
        worker.ForwardErrors();
        _ = worker.ReadStandardOutputAsync();
        return worker;
    }

    /// <summary>
    /// Gives a warm standby worker <paramref name="launch"/> to serve; its log goes to <paramref name="log"/> from now on.
    /// False when the worker is gone (it could not read the assignment).
    /// </summary>
    private async Task<bool> TryAssignAsync(WorkerLaunch launch, Action<string> log, CancellationToken cancellationToken)
    {
        _modelName = launch.Name;
        _log = log;
        return !_process.HasExited && await TryWriteLineAsync(WorkerAssignment.Of(launch).ToLine(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> TryWriteLineAsync(string line, CancellationToken cancellationToken)
    {
        try
        {
            await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            return false; // the worker died before reading; its exit and errors are reported by whoever waits on it
        }
    }

    /// <summary>Waits until the worker listens (its READY line), then returns it; disposes it and throws when it dies first or takes too long.</summary>
    private async Task<WorkerProcess> WaitReadyAsync(LocalProcessOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ReadyTimeout);
        try
        {
            var first = await Task.WhenAny(_ready.Task, Exited).WaitAsync(timeout.Token).ConfigureAwait(false);
            if (first != _ready.Task)
            {
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false); // drains stderr to its end
                throw new ArcWorkerExitedException(ModelName, ProcessId, ExitCode, $"before it was ready: {RecentErrors()}");
            }
            Address = new Uri($"http://127.0.0.1:{await _ready.Task.ConfigureAwait(false)}");
            return this;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"worker '{ModelName}' (pid {ProcessId}) was not ready after {options.ReadyTimeout}: {RecentErrors()}");
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
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

    /// <summary>The prefix of the worker's log lines: <c>[worker name pid] </c> (the name changes when a standby worker is assigned).</summary>
    private string Prefix => $"[worker {ModelName} {ProcessId}] ";

    private void ForwardErrors()
    {
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_recentErrors)
            {
                _recentErrors.Enqueue(e.Data);
                if (_recentErrors.Count > KeptErrorLines) _recentErrors.Dequeue();
            }
            _log(Prefix + e.Data);
        };
        _process.BeginErrorReadLine();
    }

    // stdout carries the READY line (and a standby worker's warm line before it); anything else there (a stray
    // Console.WriteLine in user code) is forwarded as a log line.
    private async Task ReadStandardOutputAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (!_ready.Task.IsCompleted && line.StartsWith(ReadyPrefix, StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan(ReadyPrefix.Length), out int port))
                    _ready.TrySetResult(port);
                else if (!_warm.Task.IsCompleted && line == StandbyLine)
                    _warm.TrySetResult();
                else
                    _log(Prefix + line);
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
