using System.Diagnostics;
using Arc.Remote;

namespace Arc.Sdk.Tests.Remote;

/// <summary>The Arc.Worker program on its own: it must not outlive its owner, and stops cleanly on SIGTERM.</summary>
public sealed class WorkerProgramTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A hang guard (a broken worker would otherwise never exit), far above the time any of this takes.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_worker_exits_by_itself_when_its_parent_process_is_gone()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        using var worker = StartWorker(parent.Id);
        try
        {
            await WaitUntilReadyAsync(worker);

            parent.Kill();
            await parent.WaitForExitAsync(Ct);

            await worker.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
            Assert.Equal(0, worker.ExitCode);
            Assert.Contains($"parent process {parent.Id} is gone", await worker.StandardError.ReadToEndAsync(Ct));
        }
        finally
        {
            KillIfRunning(parent);
            KillIfRunning(worker);
        }
    }

    [Fact]
    public async Task The_worker_stops_cleanly_on_sigterm()
    {
        using var worker = StartWorker(Environment.ProcessId);
        try
        {
            await WaitUntilReadyAsync(worker);

            using (var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {worker.Id}") { UseShellExecute = false })!)
                await kill.WaitForExitAsync(Ct);

            await worker.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
            Assert.Equal(0, worker.ExitCode);
        }
        finally
        {
            KillIfRunning(worker);
        }
    }

    private static Process StartWorker(int parentPid)
    {
        var start = new ProcessStartInfo(WorkerProcess.DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Arc.Worker.dll"));
        start.Environment["ARC_WORKER_ASSEMBLY"] = typeof(WorkerMlp).Assembly.Location;
        start.Environment["ARC_WORKER_MODEL"] = "workermlp";
        start.Environment["ARC_WORKER_PARENT_PID"] = parentPid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(start)!;
    }

    // A failed test must not leave processes behind.
    private static void KillIfRunning(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }

    private static async Task WaitUntilReadyAsync(Process worker)
    {
        string? line = await worker.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(HangGuard, Ct);
        Assert.StartsWith("ARC-WORKER-READY port=", line);
    }
}
