using Google.Protobuf;
using Grpc.Core;

namespace Arc.Tracking.Server;

// Files: their records, and their bytes streamed through the blob store.
internal sealed partial class TrackingGrpcService
{
    public override Task<AttachedFileMessage> AttachFile(AttachFileRequest request, ServerCallContext context)
        => ChangeAsync(async () => FileWire.ToMessage(await store.AttachFileAsync(
            FileWire.ToOwner(request.Owner), FileWire.ToFileRef(request.File), context.CancellationToken).ConfigureAwait(false)));

    public override Task<ListFilesReply> ListFiles(ListFilesRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var reply = new ListFilesReply();
            foreach (var file in await store.ListFilesAsync(FileWire.ToOwner(request.Owner), context.CancellationToken).ConfigureAwait(false))
                reply.Files.Add(FileWire.ToMessage(file));
            return reply;
        });

    public override async Task<AttachedFileMessage> UploadFile(IAsyncStreamReader<UploadFileRequest> requestStream, ServerCallContext context)
    {
        try
        {
            return await UploadAsync(requestStream, context).ConfigureAwait(false);
        }
        catch (RpcException) when (!context.CancellationToken.IsCancellationRequested)
        {
            await DrainAsync(context).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Reads and discards what is left of a refused upload's request body, up to <see cref="DrainLimitBytes"/> or
    /// <see cref="DrainLimitTime"/>, so that the reply follows the end of the request. A reply sent before the request
    /// ended puts the stream in Kestrel's queue of streams to drain; when a connection has more than twice its stream
    /// limit there, Kestrel cuts the whole connection (GOAWAY ENHANCE_YOUR_CALM) — which a client retrying refused
    /// uploads would otherwise hit. The raw body is read, not the gRPC reader: after a malformed frame that reader
    /// cannot go on. Past the limits the rest is reset, as Kestrel would.
    /// </summary>
    private static async Task DrainAsync(ServerCallContext context)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        limit.CancelAfter(DrainLimitTime);
        var body = context.GetHttpContext().Request.BodyReader;
        long drained = 0;
        try
        {
            while (drained <= DrainLimitBytes)
            {
                var read = await body.ReadAsync(limit.Token).ConfigureAwait(false);
                drained += read.Buffer.Length;
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The refusal stands whatever the rest of the body was.
        }
    }

    private const long DrainLimitBytes = 4L * TrackingServerClient.FileChunkBytes;
    private static readonly TimeSpan DrainLimitTime = TimeSpan.FromSeconds(1);

    private Task<AttachedFileMessage> UploadAsync(IAsyncStreamReader<UploadFileRequest> requestStream, ServerCallContext context)
        => ChangeAsync(async () =>
        {
            var cancel = context.CancellationToken;
            var blobStore = blobs.Required;
            if (!await requestStream.MoveNext(cancel).ConfigureAwait(false) || requestStream.Current.PartCase != UploadFileRequest.PartOneofCase.Header)
                throw new ArgumentException("an upload starts with its header (owner and name), before any bytes");
            var header = requestStream.Current.Header;
            var owner = FileWire.ToOwner(header.Owner);
            string name = TrackingNames.FileName(header.Name, "name");
            long? declaredSize = header.HasSize ? header.Size : null;
            if (declaredSize < 0) throw new ArgumentOutOfRangeException("size", declaredSize, "a file's size is 0 bytes or more");

            // Refuse an unknown owner or a taken name before reading the bytes, not after storing them.
            if ((await store.ListFilesAsync(owner, cancel).ConfigureAwait(false)).Any(f => f.File.Name == name))
                throw new TrackingAlreadyExistsException($"{owner} has a file named '{name}' already; files are not replaced: upload the new content under another name");

            var content = new UploadContentStream(requestStream, declaredSize, cancel);
            var blob = await blobStore.PutAsync(content, cancel).ConfigureAwait(false);
            string sentSha = content.TrailerSha256 ?? throw new ArgumentException("an upload ends with its trailer (the sha256 of the bytes)");
            if (await requestStream.MoveNext(cancel).ConfigureAwait(false))
                throw new ArgumentException("an upload ends with its trailer; a message came after it");
            if (declaredSize is { } size && size != blob.Size)
                throw new ArgumentException($"the upload's header said {size} bytes, but {blob.Size} arrived");
            // The blob is stored under the hash of what arrived, so a mismatch leaves no wrong record; the orphan blob
            // is content-addressed and harms nothing.
            if (blob.Sha256 != sentSha)
                throw new ArgumentException($"the {blob.Size} bytes that arrived hash to sha256:{blob.Sha256}, not sha256:{sentSha} as the trailer says; nothing was attached, send the file again");
            return FileWire.ToMessage(await store.AttachFileAsync(owner, new FileRef(name, blob.Sha256, blob.Size), cancel).ConfigureAwait(false));
        });

    public override Task DownloadFile(DownloadFileRequest request, IServerStreamWriter<DownloadFileReply> responseStream, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var cancel = context.CancellationToken;
            var blobStore = blobs.Required;
            var owner = FileWire.ToOwner(request.Owner);
            string name = TrackingNames.FileName(request.Name, "name");
            var file = (await store.ListFilesAsync(owner, cancel).ConfigureAwait(false)).FirstOrDefault(f => f.File.Name == name)?.File
                       ?? throw new TrackingNotFoundException($"{owner} has no file named '{name}'");
            Stream content;
            try
            {
                content = await blobStore.OpenReadAsync(file.Sha256, cancel).ConfigureAwait(false);
            }
            catch (BlobNotFoundException e)
            {
                throw new TrackingNotFoundException($"file '{name}' of {owner} is recorded, but its bytes are not in the blob store ({e.Message})");
            }
            await using (content.ConfigureAwait(false))
            {
                await responseStream.WriteAsync(new DownloadFileReply { File = FileWire.ToMessage(file) }, cancel).ConfigureAwait(false);
                byte[] buffer = new byte[TrackingServerClient.FileChunkBytes];
                int read;
                // The blob store's stream checks the sha256 as it is read and throws BlobCorruptedException at the end
                // when it does not match: the call then ends DataLoss (TrackingCalls) and the client discards the bytes.
                while ((read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancel).ConfigureAwait(false)) > 0)
                    await responseStream.WriteAsync(new DownloadFileReply { Chunk = ByteString.CopyFrom(buffer, 0, read) }, cancel).ConfigureAwait(false);
            }
        });
}
