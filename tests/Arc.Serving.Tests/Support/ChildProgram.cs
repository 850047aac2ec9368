using System.Diagnostics;

namespace Arc.Serving.Tests;

/// <summary>A .NET program run to its end as a child process (<c>dotnet &lt;dll&gt; args</c>), its output collected.</summary>
internal static class ChildProgram
{
    /// <summary>Runs <paramref name="dll"/> with <paramref name="args"/> and <paramref name="environment"/> added; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dll, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start dotnet {dll}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {dll} {string.Join(' ', args)} did not finish in {timeout}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
