namespace Arc.Sdk;

/// <summary>
/// A develop-mode reload failed. The worker then serves nothing — every call fails naming this error — until a
/// reload succeeds: fix the code, rebuild, and call <c>ReloadAsync</c> again (<see cref="DevelopModel{X, Y}.ReloadAsync"/>,
/// <see cref="DevelopJob{X, Y}.ReloadAsync"/>, <see cref="DevelopPodWorker.ReloadAsync"/>).
/// </summary>
public sealed class ArcReloadException : Exception
{
    /// <summary>Creates the exception for model <paramref name="modelName"/>'s reload in worker <paramref name="processId"/>.</summary>
    public ArcReloadException(string modelName, int processId, string reason, Exception? inner = null)
        : base($"reloading model '{modelName}' in develop worker (pid {processId}) failed: {reason}. " +
               "The worker serves no model until a reload succeeds.", inner)
    {
        ModelName = modelName;
        ProcessId = processId;
    }

    /// <summary>For a job's or pods' reload: <paramref name="kind"/> is <c>job</c> or <c>pods</c> and <paramref name="name"/> the job's (or the pods' display) name.</summary>
    internal ArcReloadException(string kind, string name, int processId, string reason, Exception? inner)
        : base(kind == "model"
            ? $"reloading model '{name}' in develop worker (pid {processId}) failed: {reason}. The worker serves no model until a reload succeeds."
            : kind == "pods"
                ? $"reloading the pods of '{name}' in develop worker (pid {processId}) failed: {reason}. The worker serves no pod until a reload succeeds."
                : $"reloading {kind} '{name}' in develop worker (pid {processId}) failed: {reason}. The worker serves no {kind} until a reload succeeds.", inner)
    {
        ModelName = name;
        ProcessId = processId;
    }

    /// <summary>The model (or job, or pods' display name) the reload asked for.</summary>
    public string ModelName { get; }

    /// <summary>The develop worker's process id.</summary>
    public int ProcessId { get; }
}
