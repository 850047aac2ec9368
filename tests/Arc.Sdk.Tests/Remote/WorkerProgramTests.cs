using System.Diagnostics;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The Arc.Worker program on its own: it never serves without a token, takes the token only from its owner's pipe or a
/// private file, must not outlive its owner, and stops cleanly on SIGTERM.
/// </summary>
public sealed class WorkerProgramTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A hang guard (a broken worker would otherwise never exit), far above the time any of this takes.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    // The owner: a python process that starts the worker with a pipe on its stdin, passes the token it reads from its own
    // stdin, then sleeps. Killing it with SIGKILL is the owner crashing.
    private const string OwnerScript = """
        import subprocess, sys, time
        token = sys.stdin.readline()
        worker = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE)
        worker.stdin.write(token.encode()); worker.stdin.flush()
        print("OWNER-WORKER-PID", worker.pid, flush=True)
        time.sleep(600)
        """;

    [Fact]
    public async Task The_worker_stops_within_a_second_when_its_owner_is_killed()
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(OwnerScript);
        start.ArgumentList.Add(WorkerProcess.DotnetHost());
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Arc.Worker.dll"));
        start.Environment["ARC_WORKER_ASSEMBLY"] = typeof(WorkerMlp).Assembly.Location;
        start.Environment["ARC_WORKER_MODEL"] = "workermlp";
        start.Environment["ARC_WORKER_OWNER"] = "stdin";
        using var owner = Process.Start(start)!;
        Process? worker = null;
        try
        {
            await owner.StandardInput.WriteLineAsync(ArcWorkerToken.Generate());
            await owner.StandardInput.FlushAsync(Ct);
            string? pidLine = await owner.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(HangGuard, Ct);
            Assert.StartsWith("OWNER-WORKER-PID ", pidLine);
            worker = Process.GetProcessById(int.Parse(pidLine!["OWNER-WORKER-PID ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            // The worker shares the owner's stdout: its READY line comes next.
            await WorkerProgram.WaitUntilReadyAsync(owner, Ct);

            // What is timed is the worker noticing (its log line), not its shutdown, which frees the model and the host.
            var killed = Stopwatch.StartNew();
            owner.Kill();
            TimeSpan? noticed = null;
            while (await owner.StandardError.ReadLineAsync(Ct).AsTask().WaitAsync(HangGuard, Ct) is { } line)
                if (line.Contains("the owning process is gone", StringComparison.Ordinal))
                {
                    noticed = killed.Elapsed;
                    break;
                }
            Assert.NotNull(noticed);
            Assert.True(noticed < TimeSpan.FromSeconds(1), $"the worker noticed its owner's death after {noticed.Value.TotalMilliseconds:0} ms");
            await worker.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct); // not our child: its exit code is its owner's to read
        }
        finally
        {
            WorkerProgram.KillIfRunning(owner);
            if (worker is not null) WorkerProgram.KillIfRunning(worker);
        }
    }

    [Fact]
    public async Task The_worker_stops_cleanly_on_sigterm()
    {
        using var worker = WorkerProgram.Start(ArcWorkerToken.Generate());
        try
        {
            await WorkerProgram.WaitUntilReadyAsync(worker, Ct);

            using (var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {worker.Id}") { UseShellExecute = false })!)
                await kill.WaitForExitAsync(Ct);

            await worker.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
            Assert.Equal(0, worker.ExitCode);
        }
        finally
        {
            WorkerProgram.KillIfRunning(worker);
        }
    }

    [Fact]
    public async Task Without_a_token_the_worker_refuses_to_start_before_loading_user_code()
    {
        // The assembly does not exist: a worker that loaded user code first would fail on that instead.
        using var worker = WorkerProgram.Start(ownerToken: null, ("ARC_WORKER_ASSEMBLY", "/nonexistent/Model.dll"));
        try
        {
            string errors = await worker.StandardError.ReadToEndAsync(Ct).WaitAsync(HangGuard, Ct);
            await worker.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
            Assert.Equal(1, worker.ExitCode);
            Assert.Contains("this worker has no token", errors);
            Assert.DoesNotContain("Model.dll", errors);
        }
        finally
        {
            WorkerProgram.KillIfRunning(worker);
        }
    }

    [Fact]
    public async Task A_token_file_that_others_may_read_is_refused_and_a_private_one_is_served_with()
    {
        var folder = TestScratch.Create();
        try
        {
            string token = ArcWorkerToken.Generate(), file = Path.Combine(folder.FullName, "token");
            await File.WriteAllTextAsync(file, token + "\n", Ct);
            if (OperatingSystem.IsWindows()) return;
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            using (var refused = WorkerProgram.Start(ownerToken: null, ("ARC_WORKER_TOKEN_FILE", file)))
            {
                string errors = await refused.StandardError.ReadToEndAsync(Ct).WaitAsync(HangGuard, Ct);
                await refused.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
                Assert.Equal(1, refused.ExitCode);
                Assert.Contains("may be read or written by other users", errors);
            }

            File.SetUnixFileMode(file, UnixFileMode.UserRead);
            using var worker = WorkerProgram.Start(ownerToken: null, ("ARC_WORKER_TOKEN_FILE", file));
            try
            {
                int port = await WorkerProgram.WaitUntilReadyAsync(worker, Ct);
                var address = new Uri($"http://127.0.0.1:{port}");
                await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => RemoteModel<ImageData, ClassData>.ConnectAsync(address, ArcWorkerToken.Generate(), Ct));
                await using var remote = await RemoteModel<ImageData, ClassData>.ConnectAsync(address, token, Ct);
                Assert.Equal("workermlp", remote.Name);
            }
            finally
            {
                WorkerProgram.KillIfRunning(worker);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
