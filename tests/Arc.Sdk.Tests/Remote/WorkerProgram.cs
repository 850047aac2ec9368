using System.Diagnostics;
using Arc.Sdk;

namespace Arc.Sdk.Tests.Remote;

/// <summary>Starts the real Arc.Worker program serving <see cref="WorkerMlp"/>, as the tests of its start-up need it.</summary>
internal static class WorkerProgram
{
    /// <summary>
    /// Starts the worker with <paramref name="variables"/>. With <paramref name="ownerToken"/>, this process owns the
    /// worker's stdin as <c>Target.LocalProcess</c> does (<c>ARC_WORKER_OWNER=stdin</c>, the token as the first line).
    /// </summary>
    public static Process Start(string? ownerToken, params (string Name, string Value)[] variables)
    {
        var start = new ProcessStartInfo(WorkerProcess.DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = ownerToken is not null,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Arc.Worker.dll"));
        start.Environment["ARC_WORKER_ASSEMBLY"] = typeof(WorkerMlp).Assembly.Location;
        start.Environment["ARC_WORKER_MODEL"] = "workermlp";
        if (ownerToken is not null) start.Environment["ARC_WORKER_OWNER"] = "stdin";
        foreach (var (name, value) in variables)
            start.Environment[name] = value;
        var process = Process.Start(start)!;
        if (ownerToken is not null)
        {
            process.StandardInput.WriteLine(ownerToken);
            process.StandardInput.Flush();
        }
        return process;
    }

    /// <summary>Reads the READY line and returns the port; fails on anything else.</summary>
    public static async Task<int> WaitUntilReadyAsync(Process worker, CancellationToken cancellationToken)
    {
        string? line = await worker.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        Assert.StartsWith("ARC-WORKER-READY port=", line);
        return int.Parse(line!["ARC-WORKER-READY port=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A failed test must not leave processes behind.</summary>
    public static void KillIfRunning(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }
}
