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

    /// <summary>
    /// For any reload: <paramref name="kind"/> is <c>model</c>, <c>job</c> or <c>pods</c>, <paramref name="name"/> the
    /// model's or job's (or the pods' display) name, and <paramref name="worker"/> the worker in words
    /// (<c>develop worker (pid 123)</c>, <c>develop pod ns/name</c>).
    /// </summary>
    internal ArcReloadException(string kind, string name, int processId, string worker, string reason, Exception? inner)
        : base(kind == "model"
            ? $"reloading model '{name}' in {worker} failed: {reason}. The worker serves no model until a reload succeeds."
            : kind == "pods"
                ? $"reloading the pods of '{name}' in {worker} failed: {reason}. The worker serves no pod until a reload succeeds."
                : $"reloading {kind} '{name}' in {worker} failed: {reason}. The worker serves no {kind} until a reload succeeds.", inner)
    {
        ModelName = name;
        ProcessId = processId;
    }

    /// <summary>The model (or job, or pods' display name) the reload asked for.</summary>
    public string ModelName { get; }

    /// <summary>The develop worker's process id; 0 for a worker in a pod (<see cref="Target.KubernetesDevelop"/>).</summary>
    public int ProcessId { get; }
}
