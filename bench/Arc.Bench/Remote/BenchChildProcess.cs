using System.Diagnostics;

namespace Arc.Bench.Remote;

/// <summary>
/// This benchmark program started again as a child process with a hidden argument (a server a case talks to across a
/// process boundary, as clients talk to Arc workers): lines written to its stdin first, then it prints one READY line
/// and serves until its stdin closes (the parent disposed it, or died).
/// </summary>
public sealed class BenchChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BenchChildProcess(Process process, string readyLine)
    {
        _process = process;
        ReadyLine = readyLine;
    }

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The READY line, prefix included.</summary>
    public string ReadyLine { get; }

    /// <summary>Starts the child with <paramref name="arguments"/>, writes <paramref name="stdinLines"/>, waits for a line starting with <paramref name="readyPrefix"/>.</summary>
    public static async Task<BenchChildProcess> StartAsync(IEnumerable<string> arguments, IEnumerable<string> stdinLines, string readyPrefix)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program this is");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        // Run as "dotnet Arc.Bench.dll" or as the apphost, whichever started this process.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(BenchChildProcess).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {self}");
        try
        {
            foreach (var line in stdinLines) await process.StandardInput.WriteLineAsync(line);
            await process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line.StartsWith(readyPrefix, StringComparison.Ordinal))
                    return new BenchChildProcess(process, line);
            throw new InvalidOperationException($"the bench child ({string.Join(' ', arguments)}) exited (code {(process.HasExited ? process.ExitCode : -1)}) before it was ready");
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>Closes the child's stdin, waits briefly for it to stop, kills it otherwise.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
