using Arc.Remote;
using Arc.Sdk;

namespace Arc.Worker;

/// <summary>
/// A standby worker (<c>ARC_WORKER_STANDBY=1</c>, started ahead by <c>LocalProcessOptions.StandbyWorkers</c>): it reads
/// its token, pays the first-use costs of serving before there is anything to serve, says so on stdout, then waits for
/// its assignment (assembly and what to serve) on the owner's pipe and goes on as any worker.
/// </summary>
/// <remarks>
/// Most of a cold start is first-use work, not the user's code (docs/performance.md, "Worker cold start"): JIT of
/// Kestrel's start and of the first gRPC request's path. <see cref="StandbyWarmUp"/> runs a deployment's steps on a
/// throwaway model here; the user's deployment later runs them compiled.
/// </remarks>
internal static class StandbyWorker
{
    /// <summary>The line on stdout that says the worker is warm and waits for its assignment.</summary>
    public const string WarmLine = "ARC-WORKER-STANDBY";

    public static bool IsRequested => Environment.GetEnvironmentVariable(WorkerEnvironment.Standby) == "1";

    /// <summary>Runs a deployment's steps on a throwaway model (<see cref="StandbyWarmUp"/>).</summary>
    public static Task WarmUpAsync(string token, CancellationToken cancellationToken) => StandbyWarmUp.RunAsync(token, cancellationToken);

    /// <summary>
    /// Waits for the assignment on the owner's pipe and puts it in this process's environment, where the rest of the
    /// start reads it; false when the owner closed the pipe first (nothing to serve: the worker exits).
    /// </summary>
    public static async Task<bool> TakeAssignmentAsync(WorkerOwner owner, CancellationToken cancellationToken)
    {
        if (await owner.ReadLineAsync(cancellationToken).ConfigureAwait(false) is not { } line) return false;
        var assignment = WorkerAssignment.Parse(line);
        Environment.SetEnvironmentVariable(WorkerEnvironment.Assembly, assignment.AssemblyPath);
        foreach (var (name, value) in assignment.Variables) Environment.SetEnvironmentVariable(name, value);
        return true;
    }
}
