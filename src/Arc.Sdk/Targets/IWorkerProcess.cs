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

    /// <summary>
    /// The worker's address (e.g. <c>http://127.0.0.1:40123</c>), so that a client in another language can be pointed
    /// at it (docs/remote-protocol.md, "Calling a worker from Python"); its calls need <see cref="Token"/>.
    /// </summary>
    Uri Endpoint { get; }

    /// <summary>The bearer token the worker's calls need (<c>authorization: Bearer …</c>). Keep it secret: it is the worker's only lock.</summary>
    string Token { get; }
}
