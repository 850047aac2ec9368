using System.Diagnostics;
using System.Reflection;
using System.Text;
using Arc.Sdk;
using Arc.Sdk.Tests.Support;
using Xunit;

namespace Arc.Sdk.Tests.Torch;

/// <summary>
/// TorchSharp 0.107's finalizer crash and Arc's fix for it (build/KeepTorchSharpArgumentsAlive.cs; docs/torchsharp-scalars.md),
/// shown with the same stress on both TorchSharp copies: tests/Arc.TorchStressProbe fits the MNIST sample's CNN while
/// another thread allocates 200 KB arrays and forces a collection after each. It runs as a child process, so that the
/// crash it is meant to provoke cannot take the test host with it.
/// </summary>
public sealed class TorchGcStressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sample_CNN_fits_through_forced_collections_on_the_TorchSharp_Arcs_build_marked()
    {
        for (int run = 1; run <= 2; run++)
        {
            var (exitCode, output, timedOut) = await RunProbeAsync(AppContext.BaseDirectory, steps: 300, TimeSpan.FromMinutes(4));
            Assert.False(timedOut, $"run {run}: 300 steps took over 4 minutes:\n{output}");
            Assert.True(exitCode == 0, $"run {run}: the probe failed on the marked TorchSharp (exit {exitCode}):\n{output}");
            Assert.EndsWith(": marked by Arc's build", FirstLine(output)); // it ran the marked copy
            Assert.Contains("fitted 300 steps", output);
        }
    }

    [Fact]
    public async Task The_same_stress_crashes_the_TorchSharp_NuGet_publishes()
    {
        // The probe's folder with TorchSharp.dll from the NuGet package: links to every other file of this test's folder,
        // copies of the probe's own files (the host takes the folder of the program it runs as the application's).
        var scratch = TestScratch.Create();
        try
        {
            await CrashesAsync(scratch.FullName);
        }
        finally
        {
            scratch.Delete(recursive: true); // removes the links, not what they point to
        }
    }

    private static async Task CrashesAsync(string folder)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(AppContext.BaseDirectory))
        {
            string name = Path.GetFileName(entry), target = Path.Combine(folder, name);
            if (name == "TorchSharp.dll") File.Copy(PublishedTorchSharp(), target);
            else if (name.StartsWith("Arc.TorchStressProbe.", StringComparison.Ordinal)) File.Copy(entry, target);
            else File.CreateSymbolicLink(target, entry);
        }

        var (exitCode, output, timedOut) = await RunProbeAsync(folder, steps: 1_000_000, TimeSpan.FromSeconds(150));
        Assert.EndsWith(": not marked by Arc's build", FirstLine(output)); // it ran the unmarked copy
        Assert.False(timedOut, $"150 s of the stress did not crash the unmarked TorchSharp: the probe no longer provokes the bug it is for\n{Tail(output)}");
        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains("Unknown scalar type", StringComparison.Ordinal) || output.Contains("Expected false to be true", StringComparison.Ordinal)
                    || exitCode is 134 or 139,
            $"the unmarked TorchSharp failed otherwise than by the Scalar bug (exit {exitCode}):\n{Tail(output)}");
    }

    /// <summary>Runs the probe in <paramref name="folder"/>; kills it at <paramref name="limit"/>.</summary>
    private static async Task<(int ExitCode, string Output, bool TimedOut)> RunProbeAsync(string folder, int steps, TimeSpan limit)
    {
        var start = new ProcessStartInfo(WorkerProcess.DotnetHost()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(folder, "Arc.TorchStressProbe.dll"));
        start.ArgumentList.Add(steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        void Append(string? line) { if (line is null) return; lock (output) output.AppendLine(line); }
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(limit);
        bool timedOut = false;
        try { await process.WaitForExitAsync(deadline.Token); }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        process.WaitForExit(); // drains the output events
        lock (output) return (process.ExitCode, output.ToString(), timedOut);
    }

    /// <summary>TorchSharp.dll as its package holds it: the global packages folder's copy of the version the tests run.</summary>
    private static string PublishedTorchSharp()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(TorchSharp.Scalar).Assembly.GetName().Version!;
        string path = Path.Combine(root, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "lib", "net8.0", "TorchSharp.dll");
        Assert.True(File.Exists(path), $"TorchSharp's package is not at {path}");
        Assert.Equal(version, AssemblyName.GetAssemblyName(path).Version);
        return path;
    }

    private static string FirstLine(string output) => output.Split('\n', 2)[0].TrimEnd('\r');

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];
}
