using Arc.Remote;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The Arc.Worker program, stopped by an exception, writes the whole exception to stderr (type, message, stack, inner
/// exceptions) and then the one summary line its owners quote from the end of its log.
/// </summary>
public sealed class WorkerFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_that_cannot_start_logs_the_full_exception_then_one_summary_line()
    {
        // Hyperparameters whose unknown key claims a 2-billion-element array: the wire reader's error wraps the
        // lower-level one, so the log must show an inner exception too.
        string forged = Convert.ToBase64String(new byte[] { 0x81, 0xa6, (byte)'f', (byte)'u', (byte)'t', (byte)'u', (byte)'r', (byte)'e', 0xdd, 0x7f, 0xff, 0xff, 0xff });
        using var worker = WorkerProgram.Start(ArcWorkerToken.Generate(), (WorkerEnvironment.Hyperparameters, forged));
        try
        {
            string errors = await worker.StandardError.ReadToEndAsync(Ct).WaitAsync(HangGuard, Ct);
            await worker.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
            Assert.Equal(1, worker.ExitCode);
            string[] lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

            Assert.Contains(lines, l => l.StartsWith("Arc.Types.ArcFormatException: malformed hyperparameters of model 'workermlp' (13 bytes", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains(" ---> Arc.Types.ArcFormatException: future: the array header claims 2147483647 elements", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("   at Arc.Types.WireReader.", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("   at Arc.Sdk.", StringComparison.Ordinal));
            Assert.StartsWith("arc worker failed: ArcFormatException: malformed hyperparameters of model 'workermlp' (13 bytes, stopped at byte 13): ", lines[^1]);
            Assert.Single(lines, l => l.StartsWith("arc worker failed: ", StringComparison.Ordinal));
        }
        finally
        {
            WorkerProgram.KillIfRunning(worker);
        }
    }
}
