using System.Diagnostics;

namespace Arc.Serving.Tests;

/// <summary>The real <c>curl</c> program: what a person or a shell script uses against the server.</summary>
internal static class Curl
{
    /// <summary>Runs curl with <paramref name="args"/> (plus <c>-sS</c>); returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-sS");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start curl");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
