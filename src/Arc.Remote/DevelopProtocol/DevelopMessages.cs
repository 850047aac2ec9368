namespace Arc.Remote;

/// <summary>A list of content digests (<see cref="BlobDigest"/>), on the wire <c>{"digests": [str]}</c>.</summary>
/// <param name="Digests">Lower-case hex SHA-256 digests.</param>
public sealed record BlobDigests(IReadOnlyList<string> Digests);

/// <summary>One file's bytes and the digest they must have, on the wire <c>{"digest": str, "bytes": bin}</c>.</summary>
/// <param name="Digest">The SHA-256 of <paramref name="Bytes"/>, lower-case hex; the worker checks it.</param>
/// <param name="Bytes">The file's content.</param>
public sealed record BlobUpload(string Digest, ReadOnlyMemory<byte> Bytes);

/// <summary>
/// Asks a develop worker to serve new code, on the wire
/// <c>{"assembly": str, "files": {path: digest}, "model": str, "hyperparameters": bin|nil, "kind": str}</c>
/// (a request without <c>kind</c> asks for a model).
/// </summary>
/// <param name="Assembly">The user assembly's path among <paramref name="Files"/>, e.g. <c>MyModels.dll</c>.</param>
/// <param name="Files">Every file of the build output the worker should lay out: relative path ('/'-separated) → digest.</param>
/// <param name="Model">The registered name of the model or job to serve; for pods, a display name (every pod of the assembly is served).</param>
/// <param name="Hyperparameters">The model's hyperparameters (a job's parameters) in their wire form; null: its defaults.</param>
public sealed record ReloadRequest(string Assembly, IReadOnlyDictionary<string, string> Files, string Model, ReadOnlyMemory<byte>? Hyperparameters)
{
    /// <summary>What to serve: <see cref="DevelopKinds.Model"/> (the default), <see cref="DevelopKinds.Job"/> or <see cref="DevelopKinds.Pods"/>.</summary>
    public string Kind { get; init; } = DevelopKinds.Model;
}

/// <summary>What a develop worker can serve (<see cref="ReloadRequest.Kind"/>): one model, one job, or every pod of the assembly.</summary>
public static class DevelopKinds
{
    /// <summary>A registered <c>[Model]</c>, served as <c>arc.Model</c>.</summary>
    public const string Model = "model";

    /// <summary>A registered <c>[Job]</c>, served as <c>arc.Job</c>.</summary>
    public const string Job = "job";

    /// <summary>Every <c>[Pod]</c> method the assembly registers, served as <c>arc.Pod</c>.</summary>
    public const string Pods = "pods";

    /// <summary>Whether <paramref name="kind"/> is one of the three.</summary>
    public static bool IsKnown(string kind) => kind is Model or Job or Pods;
}

/// <summary>
/// What a develop worker serves, on the wire
/// <c>{"version": int, "state": str, "model": str|nil, "error": str|nil, "unloading": int, "shared": [str]}</c>.
/// </summary>
/// <param name="Version">The number of the last reload (0 before the first); it grows by one with each attempt.</param>
/// <param name="State"><see cref="DevelopStates.Empty"/>, <see cref="DevelopStates.Serving"/> or <see cref="DevelopStates.Failed"/>.</param>
/// <param name="Model">The served model's name (or the one a failed reload asked for); null before the first reload.</param>
/// <param name="Error">Why the last reload failed; null unless <paramref name="State"/> is failed.</param>
/// <param name="Unloading">
/// Earlier code versions whose load context the runtime has not freed yet (0 when unloading works; a number that
/// grows with each reload means something still refers to old types). Filled by <c>Status</c> only.
/// </param>
/// <param name="Shared">
/// File names the worker already has and shares with user code (its own assemblies and native libraries): a client
/// need not send build-output files of those names. Filled by <c>Status</c> only.
/// </param>
public sealed record DevelopStatus(long Version, string State, string? Model, string? Error, int Unloading, IReadOnlyList<string> Shared);

/// <summary>The states a develop worker reports in <see cref="DevelopStatus.State"/>.</summary>
public static class DevelopStates
{
    /// <summary>No code loaded yet: arc.Model calls fail.</summary>
    public const string Empty = "empty";

    /// <summary>The last reload succeeded: arc.Model calls reach its model.</summary>
    public const string Serving = "serving";

    /// <summary>The last reload failed: arc.Model calls fail with its error until a reload succeeds.</summary>
    public const string Failed = "failed";
}
