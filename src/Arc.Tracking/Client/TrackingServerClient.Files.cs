using System.Security.Cryptography;
using Google.Protobuf;

namespace Arc.Tracking;

// Files: the records (attach, list) and their bytes (upload, download), streamed in chunks and checked by sha256 on both sides.
public sealed partial class TrackingServerClient
{
    /// <summary>The size of the chunks a file's bytes travel in, both ways (the server refuses larger upload chunks).</summary>
    public const int FileChunkBytes = 1024 * 1024;

    /// <summary>Attaches a file (a blob by sha256, already in the server's blob store) to an experiment or a model version.</summary>
    /// <remarks>This records the file only; <see cref="UploadFileAsync"/> sends the bytes and attaches them in one call.</remarks>
    /// <exception cref="TrackingNotFoundException">The owner does not exist.</exception>
    /// <exception cref="TrackingAlreadyExistsException">The owner has a file of that name.</exception>
    public async Task<AttachedFile> AttachFileAsync(FileOwner owner, FileRef file, CancellationToken cancellationToken = default)
    {
        var request = new AttachFileRequest { Owner = OwnerMessage(owner) };
        ArgumentNullException.ThrowIfNull(file);
        request.File = FileWire.ToMessage(file);
        return FileWire.ToAttachedFile(await CallAsync(client => client.AttachFileAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The files of an experiment or a model version, by name.</summary>
    /// <exception cref="TrackingNotFoundException">The owner does not exist.</exception>
    public async Task<IReadOnlyList<AttachedFile>> ListFilesAsync(FileOwner owner, CancellationToken cancellationToken = default)
    {
        var request = new ListFilesRequest { Owner = OwnerMessage(owner) };
        var reply = await CallAsync(client => client.ListFilesAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Files.Select(FileWire.ToAttachedFile).ToArray();
    }

    /// <summary>
    /// Sends <paramref name="content"/> (read from its position to its end) into the server's blob store in chunks of
    /// <see cref="FileChunkBytes"/> and attaches it to <paramref name="owner"/> as <paramref name="name"/>. The sha256 of
    /// the bytes is computed while they are sent and checked by the server against what arrived; nothing is attached
    /// unless they agree.
    /// </summary>
    /// <exception cref="TrackingNotFoundException">The owner does not exist.</exception>
    /// <exception cref="TrackingAlreadyExistsException">The owner has a file of that name.</exception>
    /// <exception cref="TrackingInvalidArgumentException">The bytes that arrived do not hash to what was sent.</exception>
    /// <exception cref="Grpc.Core.RpcException">FailedPrecondition: the server has no blob store.</exception>
    public async Task<AttachedFile> UploadFileAsync(FileOwner owner, string name, Stream content, CancellationToken cancellationToken = default)
    {
        var header = new UploadFileHeader { Owner = OwnerMessage(owner), Name = TrackingNames.FileName(name, nameof(name)) };
        ArgumentNullException.ThrowIfNull(content);
        if (content.CanSeek) header.Size = content.Length - content.Position;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        using var call = _client.UploadFile(cancellationToken: cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await call.RequestStream.WriteAsync(new UploadFileRequest { Header = header }, cancellationToken).ConfigureAwait(false);
            byte[] buffer = new byte[FileChunkBytes];
            int read;
            while ((read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await call.RequestStream.WriteAsync(new UploadFileRequest { Chunk = ByteString.CopyFrom(buffer, 0, read) }, cancellationToken).ConfigureAwait(false);
            }
            string sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            await call.RequestStream.WriteAsync(new UploadFileRequest { Trailer = new UploadFileTrailer { Sha256 = sha256 } }, cancellationToken).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Grpc.Core.RpcException)
        {
            // The server ended the call early (a refusal before all bytes were sent): its status is in the response.
        }
        return FileWire.ToAttachedFile(await ReplyAsync(call.ResponseAsync).ConfigureAwait(false));
    }

    /// <summary>
    /// Writes the bytes of file <paramref name="name"/> of <paramref name="owner"/> to <paramref name="destination"/> and
    /// returns the file. The server's blob store checks the bytes as it reads them and this client checks them again:
    /// bytes that do not hash to the file's sha256 end in an <see cref="InvalidDataException"/> (or an
    /// <see cref="Grpc.Core.RpcException"/> with DataLoss from the server) after they were written, so discard them then.
    /// </summary>
    /// <exception cref="TrackingNotFoundException">The owner does not exist, has no file of that name, or its bytes are not in the blob store.</exception>
    public async Task<FileRef> DownloadFileAsync(FileOwner owner, string name, Stream destination, CancellationToken cancellationToken = default)
    {
        var request = new DownloadFileRequest { Owner = OwnerMessage(owner), Name = TrackingNames.FileName(name, nameof(name)) };
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        using var call = _client.DownloadFile(request, cancellationToken: cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        FileRef? file = null;
        long size = 0;
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var part = call.ResponseStream.Current;
                if (file is null)
                {
                    file = part.PartCase == DownloadFileReply.PartOneofCase.File
                        ? FileWire.ToFileRef(part.File)
                        : throw new InvalidDataException($"the server's download of '{name}' did not start with the file");
                    continue;
                }
                if (part.PartCase != DownloadFileReply.PartOneofCase.Chunk)
                    throw new InvalidDataException($"the server's download of '{name}' sent a second file header");
                hash.AppendData(part.Chunk.Span);
                size += part.Chunk.Length;
                await destination.WriteAsync(part.Chunk.Memory, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Grpc.Core.RpcException e) when (TrackingErrors.FromRpcException(e) is { } refusal)
        {
            throw refusal;
        }
        if (file is null) throw new InvalidDataException($"the server's download of '{name}' ended without the file");
        string found = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (found != file.Sha256 || size != file.Size)
            throw new InvalidDataException(
                $"file '{name}' arrived as {size} bytes hashing to sha256:{found}, not the {file.Size} bytes of sha256:{file.Sha256} it was attached with; discard what was written");
        return file;
    }

    private static ObjectRefMessage OwnerMessage(FileOwner owner) => owner.Kind is TrackedObjectKind.Experiment or TrackedObjectKind.ModelVersion
        ? FileWire.ToMessage(owner)
        : throw new ArgumentException("a file owner is made with FileOwner.Experiment(id) or FileOwner.ModelVersion(id), not default", nameof(owner));
}
