namespace Arc.Sdk;

/// <summary>
/// A develop-mode reload failed. The worker then serves no model — every call fails naming this error — until a
/// reload succeeds: fix the code, rebuild, and call <see cref="DevelopModel{X, Y}.ReloadAsync"/> again.
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

    /// <summary>The model the reload asked for.</summary>
    public string ModelName { get; }

    /// <summary>The develop worker's process id.</summary>
    public int ProcessId { get; }
}
