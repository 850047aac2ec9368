using System.Diagnostics;

namespace Arc.Sdk.Tests.Support;

/// <summary>
/// A built sample (<c>samples/&lt;name&gt;/bin/Release/net10.0/&lt;name&gt;.dll</c>) run as a user runs it, in a process of
/// its own: its output and process id once it has exited with 0, or a failure carrying its exit code and both streams.
/// </summary>
internal static class SampleProgram
{
    /// <summary>
    /// Runs the sample with <paramref name="arguments"/>; <paramref name="environment"/> sets (or, with a null value,
    /// removes) variables of the child. Past <paramref name="hangGuard"/> the process tree is killed and the test fails
    /// instead of hanging.
    /// </summary>
    public static async Task<SampleRun> RunAsync(
        string name, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan hangGuard, CancellationToken ct)
    {
        string sample = Path.Combine(RepositoryFiles.Root, "samples", name, "bin", "Release", "net10.0", name + ".dll");
        Assert.True(File.Exists(sample), $"the {name} sample is not built at {sample}: build Arc.Sdk.sln -c Release first");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(sample);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (variable, value) in environment)
        {
            if (value is null) start.Environment.Remove(variable);
            else start.Environment[variable] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using (var guard = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            guard.CancelAfter(hangGuard);
            try { await process.WaitForExitAsync(guard.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        }
        string output = await stdout, errors = await stderr;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{output}\n{errors}");
        return new SampleRun(output, process.Id);
    }
}

/// <summary>What a sample that exited with 0 printed, and the id its process had.</summary>
internal sealed record SampleRun(string Output, int ProcessId);
