namespace Arc.Sdk;

/// <summary>What a registration registers: a <c>[Model]</c> class, a <c>[Job]</c> class or a <c>[Pod]</c> method.</summary>
public enum ArcKind
{
    /// <summary>A <c>[Model]</c> class, created from its hyperparameters; served as <c>arc.Model</c>.</summary>
    Model,

    /// <summary>A <c>[Job]</c> class, created from its parameters; served as <c>arc.Job</c>.</summary>
    Job,

    /// <summary>A <c>[Pod]</c> method, called with its arguments; served, with the other pods of its assembly, as <c>arc.Pod</c>.</summary>
    Pod,
}

/// <summary>The words messages use for each kind.</summary>
internal static class ArcKinds
{
    /// <summary><c>model</c>, <c>job</c>, <c>pod</c>.</summary>
    public static string Word(this ArcKind kind) => kind switch
    {
        ArcKind.Model => "model",
        ArcKind.Job => "job",
        _ => "pod",
    };

    /// <summary>What a model's or job's constructor arguments are called: a model's <c>hyperparameters</c>, a job's <c>parameters</c>.</summary>
    public static string ParametersWord(this ArcKind kind) => kind == ArcKind.Model ? "hyperparameters" : "parameters";
}
