namespace Arc.Sdk;

/// <summary>
/// A deployed model or job that runs in a worker process on this machine (<see cref="Target.LocalProcess"/>, develop
/// mode): its process id, to watch, profile or attach a debugger to. The generated clients show it as
/// <c>WorkerProcessId</c>.
/// </summary>
public interface IWorkerProcess
{
    /// <summary>The worker's process id; the same for the worker's whole life (develop mode keeps it across reloads).</summary>
    int ProcessId { get; }
}
