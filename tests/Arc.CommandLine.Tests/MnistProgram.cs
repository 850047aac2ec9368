using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Arc.CommandLine.Tests;

/// <summary>The MNIST sample as a child process (<c>dotnet Mnist.dll …</c>), its output collected as it comes.</summary>
internal sealed class MnistProgram : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public static string Path => typeof(MnistProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MnistProgram").Value!;

    /// <summary>The repository root, where data/mnist is (the sample finds it from its own folder too).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Arc.Sdk.sln"))) return dir.FullName;
            throw new InvalidOperationException("no Arc.Sdk.sln above " + AppContext.BaseDirectory);
        }
    }

    private MnistProgram(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("CI"); // the tests decide about live progress themselves (redirected output: plain lines)
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            start.Environment[name] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static MnistProgram Start(string workingDirectory, params string[] args) => new(args, workingDirectory);

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, params string[] args)
        => RunAsync(workingDirectory, null, args);

    /// <summary>Runs the program to its end with <paramref name="environment"/> added to (a null value: removed from) this process's.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var program = new MnistProgram(args, workingDirectory, environment);
        int code = await program.WaitAsync(TimeSpan.FromMinutes(4));
        return (code, program.Stdout, program.Stderr);
    }

    public int ProcessId => _process.Id;

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the sample did not exit within {timeout}; stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // drains the asynchronous readers
        return _process.ExitCode;
    }

    /// <summary>Sends SIGINT, what Ctrl+C sends.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}

/// <summary>A temporary folder for one test's run folders and files, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => System.IO.Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "arc-cmdline-" + Guid.NewGuid().ToString("N")[..12]);

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
