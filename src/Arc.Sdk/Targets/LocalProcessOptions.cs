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

    /// <summary>Receives the worker's log lines (its stderr), prefixed <c>[worker name pid]</c>. Null: <see cref="Console.Error"/>.</summary>
    public Action<string>? Log { get; init; }
}
