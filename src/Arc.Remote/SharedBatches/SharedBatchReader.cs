using System.Buffers;
using Grpc.Core;
using Microsoft.Win32.SafeHandles;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The worker's side of one <c>/arc.Model/FitStreamShared</c> call: reads each batch from the slot file its request
/// names. A file is trusted no more than a request body. The directory must be a call directory directly under
/// <c>/dev/shm</c> that nobody but its owner may enter (so only the owner — who also holds the token — can have written
/// it), links are refused, a batch may be no longer than the worker's message limit, and its bytes go through the same
/// decoder as a batch sent over the socket.
/// </summary>
internal sealed class SharedBatchReader : IDisposable
{
    private const UnixFileMode OthersAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _directory;
    private readonly int _maxBytes;
    private readonly SafeFileHandle?[] _files = new SafeFileHandle?[SharedBatchFiles.MaxSlots];

    private SharedBatchReader(string directory, int maxBytes) => (_directory, _maxBytes) = (directory, maxBytes);

    /// <summary>
    /// The reader for the directory a call's <see cref="SharedBatchFiles.Header"/> names, or null when it names none
    /// (every batch then travels inline).
    /// </summary>
    /// <param name="directory">The header's value.</param>
    /// <param name="maxBytes">The longest batch accepted, the worker's limit on one message.</param>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/> when the directory is not a private call
    /// directory, <see cref="StatusCode.FailedPrecondition"/> when it does not exist here (a worker on another machine).</exception>
    public static SharedBatchReader? Open(string? directory, int maxBytes)
    {
        if (directory is null) return null;
        if (!Path.IsPathFullyQualified(directory) || Path.GetFullPath(directory) != directory
            || Path.GetDirectoryName(directory) != SharedBatchFiles.Root
            || !SharedBatchFiles.IsDirectoryName(Path.GetFileName(directory), out _))
            throw Refused(StatusCode.InvalidArgument,
                $"'{StatusDetails.Quote(directory)}' is not a shared batch directory ({SharedBatchFiles.Root}/{SharedBatchFiles.Prefix}<pid>-<32 hex digits>)");
        var info = new DirectoryInfo(directory);
        if (!info.Exists)
            throw Refused(StatusCode.FailedPrecondition,
                $"the shared batch directory {directory} does not exist where the worker runs (another machine or container?); " +
                "send batches inline (ArcChannelOptions.SharedMemoryBatches = false)");
        if (info.LinkTarget is not null)
            throw Refused(StatusCode.InvalidArgument, $"the shared batch directory {directory} is a symbolic link");
        if ((info.UnixFileMode & OthersAccess) != 0)
            throw Refused(StatusCode.InvalidArgument,
                $"the shared batch directory {directory} is open to other users (mode {Octal(info.UnixFileMode)}; it must be 0700)");
        return new SharedBatchReader(directory, maxBytes);
    }

    /// <summary>Reads and decodes the batch the first <paramref name="length"/> bytes of <paramref name="slot"/>'s file hold.</summary>
    /// <exception cref="RpcException"><see cref="StatusCode.ResourceExhausted"/> for a batch over the limit,
    /// <see cref="StatusCode.InvalidArgument"/> for a file that is not a private regular file, is shorter than
    /// <paramref name="length"/>, or does not hold one well-formed batch.</exception>
    public (X Inputs, Y Targets) Read<X, Y>(int slot, int length) where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, SharedBatchFiles.MaxSlots);
        if (length > _maxBytes)
            throw Refused(StatusCode.ResourceExhausted,
                $"the batch in shared file {slot} has {length} bytes, more than the worker's limit of {_maxBytes} bytes for one message");
        var file = _files[slot] ??= OpenSlot(slot);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int read = 0;
            while (read < length)
            {
                int n = RandomAccess.Read(file, buffer.AsSpan(read, length - read), read);
                if (n == 0)
                    throw Refused(StatusCode.InvalidArgument, $"shared file {slot} ends after {read} bytes, but the request says its batch takes {length}");
                read += n;
            }
            // The decoders copy what they keep, so the buffer can go back to the pool at once.
            return WireMarshaller.Decode("fit request", new ReadOnlySequence<byte>(buffer, 0, length), ArcMarshallers.ReadPair<X, Y>);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes the slot files.</summary>
    public void Dispose()
    {
        foreach (var file in _files) file?.Dispose();
    }

    private SafeFileHandle OpenSlot(int slot)
    {
        string path = SharedBatchFiles.SlotPath(_directory, slot);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw Refused(StatusCode.InvalidArgument, $"shared file {slot} does not exist in {_directory}");
        if (info.LinkTarget is not null)
            throw Refused(StatusCode.InvalidArgument, $"shared file {slot} in {_directory} is a symbolic link");
        if ((info.UnixFileMode & OthersAccess) != 0)
            throw Refused(StatusCode.InvalidArgument, $"shared file {slot} in {_directory} is open to other users (mode {Octal(info.UnixFileMode)})");
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refused(StatusCode.InvalidArgument, $"shared file {slot} in {_directory} cannot be read: {e.Message}");
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    private static RpcException Refused(StatusCode code, string message) => new(new Status(code, message));
}
