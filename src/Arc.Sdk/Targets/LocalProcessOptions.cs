namespace Arc.Sdk;

/// <summary>How <see cref="Target.LocalProcessWith"/> starts worker processes.</summary>
public sealed record LocalProcessOptions
{
    /// <summary>
    /// The worker program (<c>Arc.Worker.dll</c>), run with the <c>dotnet</c> that runs this process. Null: the
    /// <c>Arc.Worker.dll</c> in the program's folder (<see cref="AppContext.BaseDirectory"/>), which is there when the
    /// program references the Arc.Sdk package or the Arc.Worker project; else the one beside <c>Arc.Sdk.dll</c> (a
    /// notebook kernel loads Arc from Arc.Interactive's folder, which holds one).
    /// </summary>
    public string? WorkerPath { get; init; }

    /// <summary>The assembly that registers the model. Null: the assembly of the model class.</summary>
    public string? ModelAssemblyPath { get; init; }

    /// <summary>How long the worker may take to load the model and start listening.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many warm standby workers to keep ready for the next deployments with this worker program (default 0: none).
    /// A standby worker starts with nothing to serve and pays a worker's first-use costs (runtime start, Kestrel's start,
    /// the first call's path) ahead; a deployment then only sends it the assembly and what to serve, and once that
    /// deployment is ready a new standby is started in its place in the background (not before, so the two do not
    /// compete for the CPU). The first deployment finds the pool empty and fills it when its own worker is ready. Standby
    /// workers keep the environment this process had when they started, and exit with this process. Develop mode
    /// always starts its own worker. See docs/performance.md, "Worker cold start".
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below zero.</exception>
    public int StandbyWorkers
    {
        get => _standbyWorkers;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _standbyWorkers = value;
        }
    }

    private readonly int _standbyWorkers;

    /// <summary>Receives the worker's log lines (its stderr), prefixed <c>[worker name pid]</c>. Null: <see cref="Console.Error"/>.</summary>
    public Action<string>? Log { get; init; }
}
