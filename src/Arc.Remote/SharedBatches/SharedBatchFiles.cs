namespace Arc.Remote;

/// <summary>
/// The layout both ends of <c>/arc.Model/FitStreamShared</c> agree on (docs/remote-protocol.md): a directory directly
/// under <see cref="Root"/> named <c>arc-fit-&lt;pid&gt;-&lt;32 hex digits&gt;</c>, mode 0700, made by the client for one call
/// and named in the call's <see cref="Header"/>; in it one file per slot, named by its number, mode 0600.
/// </summary>
internal static class SharedBatchFiles
{
    /// <summary>Memory-backed on Linux: a batch written there is never written to a disk.</summary>
    public const string Root = "/dev/shm";

    /// <summary>What every call directory's name starts with.</summary>
    public const string Prefix = "arc-fit-";

    /// <summary>The request header naming the call's directory.</summary>
    public const string Header = "arc-shared-batches";

    /// <summary>The most slots a call may use (a client uses as many as it keeps batches in flight).</summary>
    public const int MaxSlots = 64;

    /// <summary>Batches encoded smaller than this travel inline: a file would save nothing.</summary>
    public const int MinFileBytes = 32 * 1024;

    /// <summary>The mode of a call directory: only its owner may list, enter or change it.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The mode of a slot file.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Whether this machine has <see cref="Root"/> (Linux); elsewhere every batch travels inline.</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux() && Directory.Exists(Root);

    /// <summary>A new, unguessable call directory's path for process <paramref name="processId"/> (the directory is not made).</summary>
    public static string NewDirectoryPath(int processId)
        => Path.Combine(Root, $"{Prefix}{processId.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))}");

    /// <summary>The file of <paramref name="slot"/> in <paramref name="directory"/>.</summary>
    public static string SlotPath(string directory, int slot) => Path.Combine(directory, slot.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Whether <paramref name="name"/> is a call directory's name: the prefix, a process id, a dash and 32 lowercase hex digits.</summary>
    public static bool IsDirectoryName(string name, out int processId)
    {
        processId = 0;
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = name.AsSpan(Prefix.Length);
        int dash = rest.IndexOf('-');
        if (dash <= 0 || rest.Length - dash - 1 != 32) return false;
        foreach (char c in rest[(dash + 1)..])
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        return int.TryParse(rest[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out processId)
            && processId > 0;
    }
}
