using System.Runtime.InteropServices;

namespace Arc.Artifacts;

/// <summary>
/// Writes that survive a power cut: a file's data is flushed to disk (<c>fsync</c>) before the rename that publishes
/// it, and the directory that holds the new name is flushed after the rename. Without the first, a crash can leave the
/// final name pointing at an empty or short file (the rename reached the disk, the data did not); without the second,
/// the rename itself can be lost although the caller was told the write succeeded. Every durable write of the OCI
/// layout store, the develop worker's blob store and the code-bundle cache goes through here.
/// </summary>
/// <remarks>
/// Directories are flushed on Linux and macOS (<c>open(O_RDONLY|O_DIRECTORY)</c> + <c>fsync</c>); on Windows, where a
/// directory cannot be opened that way, the rename is left to NTFS's metadata journal.
/// </remarks>
internal static class DurableFile
{
    /// <summary>Creates <paramref name="path"/> (new; never overwrites), writes <paramref name="bytes"/> and flushes them to disk.</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    /// <summary>As <see cref="WriteNew"/>, asynchronously (the final flush to disk blocks a pool thread, as fsync must).</summary>
    public static async Task WriteNewAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        await using var fileDisposal = file.ConfigureAwait(false);
        await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Renames <paramref name="temporary"/> (whose data the caller already flushed to disk) to <paramref name="path"/>,
    /// then flushes <paramref name="path"/>'s directory. Returns false when <paramref name="overwrite"/> is false and
    /// another writer published <paramref name="path"/> first (the temporary file is left to the caller to delete).
    /// </summary>
    public static bool Publish(string temporary, string path, bool overwrite)
    {
        bool published = true;
        try
        {
            File.Move(temporary, path, overwrite);
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            published = false;
        }
        // Also when another writer won: its rename may not be on disk yet, and our caller is about to rely on it.
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return published;
    }

    /// <summary>
    /// Renames the directory <paramref name="temporary"/> to <paramref name="path"/> after flushing every directory
    /// inside it (the caller flushed its files as it wrote them), then flushes <paramref name="path"/>'s parent.
    /// </summary>
    /// <exception cref="IOException"><paramref name="path"/> already exists (the rename is refused, nothing is replaced).</exception>
    public static void PublishDirectory(string temporary, string path)
    {
        SyncDirectoryTree(temporary);
        Directory.Move(temporary, path);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Creates <paramref name="path"/> and any missing parent, flushing the parent of each one it creates, so a file
    /// later published inside cannot lose its directory in a crash. Unix mode 0700 when <paramref name="ownerOnly"/>.
    /// </summary>
    public static void CreateDirectory(string path, bool ownerOnly = false)
    {
        path = Path.GetFullPath(path);
        if (Directory.Exists(path)) return;
        var missing = new Stack<string>();
        for (string? directory = path; directory is not null && !Directory.Exists(directory); directory = Path.GetDirectoryName(directory))
            missing.Push(directory);
        while (missing.TryPop(out var directory))
        {
            if (ownerOnly && !OperatingSystem.IsWindows())
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            else
                Directory.CreateDirectory(directory);
            SyncDirectory(Path.GetDirectoryName(directory)!);
        }
    }

    /// <summary>Flushes every directory under <paramref name="root"/> and <paramref name="root"/> itself (symbolic links are not followed).</summary>
    public static void SyncDirectoryTree(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
        foreach (string directory in Directory.EnumerateDirectories(root, "*", options))
            SyncDirectory(directory);
        SyncDirectory(root);
    }

    /// <summary>Flushes <paramref name="directory"/>'s entries (names created, renamed or removed in it) to disk.</summary>
    /// <exception cref="IOException">The directory cannot be opened or flushed.</exception>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Native.open(directory, Native.DirectoryOpenFlags);
        if (fd < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw new IOException($"could not open the directory {directory} to flush it to disk: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
        }
        try
        {
            // EINVAL: the file system cannot flush directories (some FUSE and network file systems); nothing more can be done.
            if (Native.fsync(fd) != 0 && Marshal.GetLastPInvokeError() is var error && error != Native.EINVAL)
                throw new IOException($"could not flush the directory {directory} to disk: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    private static class Native
    {
        public const int EINVAL = 22;

        // O_RDONLY | O_DIRECTORY | O_CLOEXEC. O_DIRECTORY differs by architecture on Linux (arm64 and arm use 040000).
        public static readonly int DirectoryOpenFlags = OperatingSystem.IsMacOS() || OperatingSystem.IsIOS()
            ? 0x100000 | 0x1000000
            : (RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000) | 0x80000;

        // open is variadic in C; passing no mode is correct for a call without O_CREAT on every ABI .NET runs on.
        [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled; three blittable calls do not justify it.
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
#pragma warning restore SYSLIB1054
    }
}
