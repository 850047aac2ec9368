namespace Arc.Sdk;

/// <summary>A worker process of <see cref="Target.LocalProcess"/> exited (crashed, was killed, or failed to start).</summary>
public sealed class ArcWorkerExitedException : Exception
{
    /// <summary>Creates the exception for the worker serving <paramref name="modelName"/> (a model or job name) as process <paramref name="processId"/>.</summary>
    public ArcWorkerExitedException(string modelName, int processId, int? exitCode, string what, Exception? inner = null)
        : base($"worker '{modelName}' (pid {processId}) exited{(exitCode is int code ? $" with code {code}" : "")} {what}", inner)
    {
        ModelName = modelName;
        ProcessId = processId;
        ExitCode = exitCode;
    }

    /// <summary>The registered name of the model (or job) the worker served.</summary>
    public string ModelName { get; }

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Its exit code, when known.</summary>
    public int? ExitCode { get; }
}
