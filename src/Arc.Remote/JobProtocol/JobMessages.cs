namespace Arc.Remote;

/// <summary>The split names of <c>arc.Job</c>, as they travel on the wire.</summary>
public static class JobSplits
{
    /// <summary>Data to fit on.</summary>
    public const string Train = "train";
    /// <summary>Data to tune on.</summary>
    public const string Validation = "validation";
    /// <summary>Held-out data to report on.</summary>
    public const string Test = "test";

    /// <summary>Whether <paramref name="split"/> is one of the three names.</summary>
    public static bool IsKnown(string split) => split is Train or Validation or Test;
}

/// <summary>The <c>Stream</c> request, on the wire <c>{"batch_size": int, "split": str, "shuffle_seed": int|nil}</c>.</summary>
public sealed record JobStreamRequest(int BatchSize, string Split, int? ShuffleSeed);

/// <summary>The <c>Sample</c> request, on the wire <c>{"count": int, "split": str, "seed": int|nil}</c>.</summary>
public sealed record JobSampleRequest(int Count, string Split, int? Seed);

/// <summary>One batch of a job (a <c>Stream</c> message or the <c>Sample</c> reply), on the wire <c>{"x": X, "y": Y}</c>.</summary>
public sealed record JobBatch<X, Y>(X Inputs, Y Targets);

/// <summary>
/// The <c>Describe</c> reply of <c>arc.Job</c>, on the wire <c>{"name", "x", "y"}</c> plus an optional <c>"contract"</c>:
/// the job's name, its X/Y wire tags and the contract its data keeps.
/// </summary>
public sealed record JobDescription(string Name, string InputTag, string TargetTag)
{
    /// <summary>The job's contract (<c>"contract"</c>), or null when it states none.</summary>
    public Arc.Types.DataContract? Contract { get; init; }
}
