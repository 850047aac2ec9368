namespace Arc.Artifacts;

/// <summary>
/// Arc's paths in the system temporary folder: <c>/tmp/arc-&lt;kind&gt;-&lt;pid&gt;-&lt;start&gt;-&lt;32 hex&gt;</c>, each
/// naming the process that owns it (<see cref="OwnerStamp"/>). The owner removes its path when done; a process killed
/// before that (SIGKILL, a power cut) cannot, so the first path of any kind a process creates sweeps away every Arc
/// temporary path whose owner is dead, and launchers sweep after a worker they saw die.
/// </summary>
internal static class ArcTempPaths
{
    /// <summary>The develop worker's folder (blob store, version folders).</summary>
    public const string Develop = "develop";

    /// <summary>A save's scratch folder (weights and bundle tars before they are pushed).</summary>
    public const string Save = "save";

    /// <summary>A worker image build's scratch folder (layer tars).</summary>
    public const string Image = "image";

    /// <summary>A large blob buffered while it is verified (a file).</summary>
    public const string Blob = "blob";

    /// <summary>A scratch folder of a program or test run built on Arc, so that a killed run's folder is swept too.</summary>
    public const string Scratch = "scratch";

    /// <summary>A notebook kernel's compiled cell assemblies (Arc.Interactive), which its workers load.</summary>
    public const string Notebook = "notebook";

    /// <summary>A dataset or model version staged for a remote destination, or downloaded from one.</summary>
    public const string Transfer = "transfer";

    /// <summary>Every kind, for the sweep.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [Develop, Save, Image, Blob, Scratch, Notebook, Transfer];

    private static int _swept;

    /// <summary>The folder the temporary paths are in (<see cref="Path.GetTempPath"/>: <c>$TMPDIR</c> or <c>/tmp</c>).</summary>
    public static string Root => Path.GetTempPath();

    /// <summary>Creates a fresh folder of <paramref name="kind"/>, readable by this user only (0700 from its creation).</summary>
    public static string CreateDirectory(string kind)
    {
        SweepOnce();
        string path = NewPath(kind);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>A fresh path of <paramref name="kind"/> for a file the caller creates (with <see cref="FileMode.CreateNew"/>).</summary>
    public static string NewFilePath(string kind)
    {
        SweepOnce();
        return NewPath(kind);
    }

    /// <summary>Removes every Arc temporary path whose owner is dead; returns what it removed.</summary>
    public static IReadOnlyList<string> SweepDead()
        => Kinds.SelectMany(kind => OwnedNames.SweepDead(Root, Prefix(kind), TimeSpan.Zero)).ToList();

    /// <summary>The Arc temporary paths whose owner is dead (what <see cref="SweepDead"/> would remove).</summary>
    public static IReadOnlyList<string> FindDead()
        => Kinds.SelectMany(kind => OwnedNames.FindDead(Root, Prefix(kind), TimeSpan.Zero)).Select(entry => entry.FullName).ToList();

    /// <summary>Whether <paramref name="path"/> is an Arc temporary path of <paramref name="kind"/> owned by <paramref name="owner"/>.</summary>
    public static bool IsOwnedBy(string path, string kind, int owner)
        => OwnedNames.TryGetOwner(Path.GetFileName(path), Prefix(kind), out var stamp) && stamp.ProcessId == owner;

    private static string NewPath(string kind) => Path.Combine(Root, OwnedNames.New(Prefix(kind)));

    private static string Prefix(string kind) => $"arc-{kind}-";

    // Once per process: start-up is when a predecessor's leftovers are found; later paths need not list /tmp again.
    private static void SweepOnce()
    {
        if (Interlocked.Exchange(ref _swept, 1) == 0) SweepDead();
    }
}
