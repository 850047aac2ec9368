using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The client's side of one <c>/arc.Model/FitStreamShared</c> call: batch n is encoded into slot n mod k's file and only
/// its place crosses the socket, so a worker on this machine reads it with one copy instead of receiving it through
/// HTTP/2 frames, socket buffers and the transport's pipes. A slot is written again only after the worker answered the
/// batch it held (the caller keeps at most k batches unanswered). Each file's name is removed once the worker has
/// answered from it (it holds the file open by then), and the directory when the call ends, so a process that dies
/// mid-call leaves at most an empty directory, which the next writer on the machine removes.
/// </summary>
internal sealed class SharedBatchWriter : IDisposable
{
    private readonly FileStream?[] _files;
    private readonly bool[] _named;

    private SharedBatchWriter(string directory, int slots)
    {
        Directory = directory;
        _files = new FileStream?[slots];
        _named = new bool[slots];
    }

    /// <summary>The call's directory, for the <see cref="SharedBatchFiles.Header"/> header.</summary>
    public string Directory { get; }

    /// <summary>
    /// Makes a new directory for a call that keeps up to <paramref name="slots"/> batches in flight, after removing those
    /// that processes no longer running left behind. Null when the machine has no shared memory directory or it refuses
    /// a new one (full, read-only): the call then sends its batches inline.
    /// </summary>
    public static SharedBatchWriter? TryCreate(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        if (!OperatingSystem.IsLinux() || !SharedBatchFiles.Supported || slots > SharedBatchFiles.MaxSlots) return null;
        RemoveAbandoned();
        string directory = SharedBatchFiles.NewDirectoryPath(Environment.ProcessId);
        try
        {
            // The name is unguessable, so nobody else can have made it first; the mode keeps others out of it.
            System.IO.Directory.CreateDirectory(directory, SharedBatchFiles.DirectoryMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return new SharedBatchWriter(directory, slots);
    }

    /// <summary>
    /// The request for one batch: its place in <paramref name="slot"/>'s file when it was written there, the batch itself
    /// when it is small (under <see cref="SharedBatchFiles.MinFileBytes"/>), over <paramref name="maxBytes"/> (gRPC then
    /// refuses it as it would any message over the limit) or the file could not be written.
    /// </summary>
    public SharedFitRequest<X, Y> Place<X, Y>(X inputs, Y targets, int slot, int maxBytes)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        using var scratch = new PooledBufferWriter();
        var writer = new MessagePackWriter(scratch);
        ArcMarshallers.WritePair(ref writer, inputs, targets);
        writer.Flush();
        int length = scratch.WrittenSpan.Length;
        return length >= SharedBatchFiles.MinFileBytes && length <= maxBytes && TryWrite(slot, scratch.WrittenSpan)
            ? SharedFitRequest<X, Y>.InSlot(slot, length)
            : SharedFitRequest<X, Y>.Of(new FitRequest<X, Y>(inputs, targets));
    }

    /// <summary>
    /// Writes one encoded batch into the file of <paramref name="slot"/>. False when the file system refuses it (e.g.
    /// a full <c>/dev/shm</c>): send that batch inline instead.
    /// </summary>
    private bool TryWrite(int slot, ReadOnlySpan<byte> payload)
    {
        try
        {
            if (_files[slot] is not { } file)
            {
                _files[slot] = file = Create(SharedBatchFiles.SlotPath(Directory, slot));
                _named[slot] = true;
            }
            RandomAccess.Write(file.SafeFileHandle, payload, fileOffset: 0);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The worker answered a batch from <paramref name="slot"/>, so it has the file open: the name is no longer needed.
    /// </summary>
    public void Answered(int slot)
    {
        if (!_named[slot]) return;
        _named[slot] = false;
        try { File.Delete(SharedBatchFiles.SlotPath(Directory, slot)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* removed with the directory */ }
    }

    /// <summary>Closes the files and removes the directory with whatever is still in it.</summary>
    public void Dispose()
    {
        foreach (var file in _files) file?.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* already gone */ }
    }

    private static FileStream Create(string path)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("shared batch files need Linux's /dev/shm");
        return new(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = SharedBatchFiles.FileMode,
            BufferSize = 0, // written with RandomAccess, never through the stream
        });
    }

    /// <summary>Removes the call directories of processes that are gone (only this user's can be removed).</summary>
    private static void RemoveAbandoned()
    {
        IEnumerable<string> directories;
        try { directories = System.IO.Directory.EnumerateDirectories(SharedBatchFiles.Root, SharedBatchFiles.Prefix + "*"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var directory in directories)
        {
            if (!SharedBatchFiles.IsDirectoryName(Path.GetFileName(directory), out int pid) || System.IO.Directory.Exists($"/proc/{pid}")) continue;
            try { System.IO.Directory.Delete(directory, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* another user's, or removed meanwhile */ }
        }
    }
}
