using System.Runtime.InteropServices;

namespace Arc.Tracking.Server;

/// <summary>
/// Flushes a directory's entries (names created, renamed or removed in it) to disk: without it a rename can be lost in
/// a power cut although the caller was told the blob was stored.
/// </summary>
/// <remarks>
/// A copy of <c>DurableFile.SyncDirectory</c> in <c>Arc.Artifacts</c>, kept on purpose: the assembly graph
/// (tests/Arc.Architecture.Tests/AssemblyGraph.cs) lets <c>Arc.Tracking.Server</c> reference <c>Arc.Tracking</c> only,
/// and the helper is internal there. Referencing <c>Arc.Artifacts</c> would pull OCI, registries and signing into the
/// tracking server for thirty lines of P/Invoke, and opening its internals would widen its API. If a third copy is
/// ever needed, move the helper to a small shared assembly below both instead. Directories are flushed on Linux and
/// macOS (<c>open(O_RDONLY|O_DIRECTORY)</c> + <c>fsync</c>); on Windows the rename is left to NTFS's journal.
/// </remarks>
internal static class BlobDirectorySync
{
    /// <summary>Flushes <paramref name="directory"/> to disk.</summary>
    /// <exception cref="IOException">The directory cannot be opened or flushed.</exception>
    public static void Sync(string directory)
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

    /// <summary>Creates <paramref name="path"/> and any missing parent, flushing the parent of each one it creates.</summary>
    public static void CreateDirectory(string path)
    {
        path = Path.GetFullPath(path);
        if (Directory.Exists(path)) return;
        var missing = new Stack<string>();
        for (string? directory = path; directory is not null && !Directory.Exists(directory); directory = Path.GetDirectoryName(directory))
            missing.Push(directory);
        while (missing.TryPop(out var directory))
        {
            Directory.CreateDirectory(directory);
            Sync(Path.GetDirectoryName(directory)!);
        }
    }

    static class Native
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
