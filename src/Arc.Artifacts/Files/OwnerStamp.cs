using System.Diagnostics;
using System.Globalization;

namespace Arc.Artifacts;

/// <summary>
/// Which process owns a temporary file or folder: its pid and, on Linux, its start time (clock ticks after boot, field
/// 22 of <c>/proc/&lt;pid&gt;/stat</c>). Names carry the stamp (<c>&lt;pid&gt;-&lt;start&gt;</c>) so that whoever finds the
/// path later can tell a live writer from one that was killed, even after the pid was given to another process.
/// </summary>
internal readonly record struct OwnerStamp(int ProcessId, long StartTime)
{
    /// <summary>This process's stamp.</summary>
    public static OwnerStamp Current { get; } = Of(Environment.ProcessId) ?? new OwnerStamp(Environment.ProcessId, 0);

    /// <summary><c>&lt;pid&gt;-&lt;start&gt;</c>, as names carry it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ProcessId}-{StartTime}");

    /// <summary>
    /// Whether the owner still runs: a process with this pid exists, is not a zombie and, when the stamp has a start
    /// time (0: a name from before start times were recorded), started at that time.
    /// </summary>
    public bool IsAlive => Of(ProcessId) is { } now && (StartTime == 0 || now.StartTime == StartTime);

    /// <summary>The stamp of the running process <paramref name="processId"/>, or null when there is none.</summary>
    public static OwnerStamp? Of(int processId)
    {
        if (processId <= 0) return null;
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null; // gone (or going: reading a process that exits mid-read fails with ESRCH)
            }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 20 || fields[0] is "Z" or "X") return null; // a zombie writes nothing more
            return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start) ? new OwnerStamp(processId, start) : null;
        }
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : new OwnerStamp(processId, 0);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads the stamp at the start of <paramref name="text"/>: <c>&lt;pid&gt;-&lt;start&gt;-…</c>, or <c>&lt;pid&gt;-&lt;32 hex&gt;</c>
    /// (the older form without a start time, which then is 0).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out OwnerStamp stamp)
    {
        stamp = default;
        int dash = text.IndexOf('-');
        if (dash <= 0 || !int.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0) return false;
        var rest = text[(dash + 1)..];
        int next = rest.IndexOf('-');
        if (next > 0 && long.TryParse(rest[..next], NumberStyles.None, CultureInfo.InvariantCulture, out long start) && next + 1 < rest.Length)
        {
            stamp = new OwnerStamp(pid, start);
            return true;
        }
        if (rest.Length == 32 && IsLowerHex(rest))
        {
            stamp = new OwnerStamp(pid, 0);
            return true;
        }
        return false;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }
}

/// <summary>
/// Temporary names that carry their owner (<c>&lt;prefix&gt;&lt;pid&gt;-&lt;start&gt;-&lt;32 hex&gt;</c>) and the sweep that
/// removes those a killed process left behind. One rule for every place Arc writes temporaries: the OCI layout's
/// <c>.tmp/</c>, the bundle cache's <c>.tmp-…</c> folders and the <c>/tmp/arc-*</c> paths.
/// </summary>
internal static class OwnedNames
{
    /// <summary>A fresh name owned by this process.</summary>
    public static string New(string prefix) => $"{prefix}{OwnerStamp.Current}-{Guid.NewGuid():N}";

    /// <summary>The owner of <paramref name="name"/> when it is <paramref name="prefix"/> followed by a stamp.</summary>
    public static bool TryGetOwner(string name, string prefix, out OwnerStamp owner)
    {
        owner = default;
        return name.StartsWith(prefix, StringComparison.Ordinal) && OwnerStamp.TryParse(name.AsSpan(prefix.Length), out owner);
    }

    /// <summary>
    /// Deletes the entries of <paramref name="directory"/> named <paramref name="prefix"/>+stamp whose owner is dead and
    /// that nobody wrote for <paramref name="deadIdle"/>; with <paramref name="unownedIdle"/>, also entries with the
    /// prefix but no stamp (older names) untouched for that long. Best effort: an entry that cannot be removed (another
    /// user's, or one removed meanwhile) is passed over. Returns the paths removed.
    /// </summary>
    /// <remarks>
    /// The idle time guards a writer this process cannot see: one in another pid namespace (a container sharing the
    /// folder) looks dead here, but keeps its file's modification time fresh while it writes.
    /// </remarks>
    public static IReadOnlyList<string> SweepDead(string directory, string prefix, TimeSpan deadIdle, TimeSpan? unownedIdle = null)
    {
        var removed = new List<string>();
        foreach (var entry in FindDead(directory, prefix, deadIdle, unownedIdle))
        {
            try
            {
                // A symbolic link (never one of ours) is removed itself; its target is not followed.
                if (entry is DirectoryInfo { LinkTarget: null } folder) folder.Delete(recursive: true);
                else entry.Delete();
                removed.Add(entry.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return removed;
    }

    /// <summary>The entries <see cref="SweepDead"/> would remove.</summary>
    public static IReadOnlyList<FileSystemInfo> FindDead(string directory, string prefix, TimeSpan deadIdle, TimeSpan? unownedIdle = null)
    {
        var found = new List<FileSystemInfo>();
        IEnumerable<FileSystemInfo> entries;
        try
        {
            // AttributesToSkip = 0: a name that starts with '.' (a dataset's hidden .publishing-… folder) is Hidden on Unix.
            entries = new DirectoryInfo(directory).EnumerateFileSystemInfos(prefix + "*", new EnumerationOptions { MatchType = MatchType.Simple, IgnoreInaccessible = true, AttributesToSkip = 0 });
            var now = DateTime.UtcNow;
            foreach (var entry in entries)
            {
                if (!entry.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
                var idle = now - entry.LastWriteTimeUtc;
                bool stale = TryGetOwner(entry.Name, prefix, out var owner)
                    ? idle >= deadIdle && !owner.IsAlive
                    : unownedIdle is { } limit && idle >= limit;
                if (stale) found.Add(entry);
            }
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            // No such folder (nothing written yet) or unreadable: nothing to sweep.
        }
        return found;
    }
}
