using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// File contents end to end: uploads stream in chunks into the server's disk blob store and are attached only when
/// the bytes that arrived hash to what the client sent; downloads stream back, checked by the blob store and the client.
/// </summary>
public sealed class TrackingServiceFileTests : IAsyncLifetime
{
    private LiveTrackingServer _live = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _live = await LiveTrackingServer.StartAsync(Cancel);

    public async ValueTask DisposeAsync()
    {
        if (_live is not null) await _live.DisposeAsync();
    }

    [Fact]
    public async Task A_file_uploaded_in_chunks_is_attached_by_its_sha256_and_downloads_byte_for_byte()
    {
        var experiment = await _live.Client.CreateExperimentAsync(new ExperimentDraft("vision", "run", "me@example.com"), Cancel);
        var model = await _live.Client.CreateModelAsync(new RegisteredModelDraft("vision", "mnist", "me@example.com"), Cancel);
        var version = await _live.Client.CreateModelVersionAsync(new ModelVersionDraft(model.Id), Cancel);
        byte[] weights = RandomBytes(3 * TrackingServerClient.FileChunkBytes + 12_345, seed: 1);
        string sha = Convert.ToHexStringLower(SHA256.HashData(weights));

        var attached = await _live.Client.UploadFileAsync(FileOwner.ModelVersion(version.Id), "weights/model.bin", new MemoryStream(weights), Cancel);
        Assert.Equal((FileOwner.ModelVersion(version.Id), "weights/model.bin", sha, (long)weights.Length),
            (attached.Owner, attached.File.Name, attached.File.Sha256, attached.File.Size));
        Assert.True(await _live.Blobs.ExistsAsync(sha, Cancel));
        Assert.Equal([attached.File], (await _live.Client.GetModelVersionAsync(version.Id, Cancel)).Files);

        // A stream that cannot seek (no size in the header) and an empty file, on an experiment.
        var log = await _live.Client.UploadFileAsync(FileOwner.Experiment(experiment.Id), "log.txt", new NonSeekable(RandomBytes(1000, 2)), Cancel);
        var empty = await _live.Client.UploadFileAsync(FileOwner.Experiment(experiment.Id), "empty", new MemoryStream(), Cancel);
        Assert.Equal((1000L, 0L), (log.File.Size, empty.File.Size));
        Assert.Equal(["empty", "log.txt"], (await _live.Client.ListFilesAsync(FileOwner.Experiment(experiment.Id), Cancel)).Select(f => f.File.Name));

        var copy = new MemoryStream();
        var downloaded = await _live.Client.DownloadFileAsync(FileOwner.ModelVersion(version.Id), "weights/model.bin", copy, Cancel);
        Assert.Equal(attached.File, downloaded);
        Assert.Equal(weights, copy.ToArray());
        var none = new MemoryStream();
        await _live.Client.DownloadFileAsync(FileOwner.Experiment(experiment.Id), "empty", none, Cancel);
        Assert.Equal(0, none.Length);

        var events = await _live.Client.ReadEventsAsync(new EventQuery { Kinds = [TrackingEventKinds.FileAttached] }, Cancel);
        Assert.Equal([version.Id, experiment.Id, experiment.Id], events.Select(e => e.ObjectId));
    }

    [Fact]
    public async Task Uploads_that_are_refused_attach_nothing()
    {
        var experiment = await _live.Client.CreateExperimentAsync(new ExperimentDraft("vision", "run", "me@example.com"), Cancel);
        var owner = FileOwner.Experiment(experiment.Id);
        await _live.Client.UploadFileAsync(owner, "taken", new MemoryStream([1, 2, 3]), Cancel);

        var taken = await Assert.ThrowsAsync<TrackingAlreadyExistsException>(() => _live.Client.UploadFileAsync(owner, "taken", new MemoryStream([4]), Cancel));
        Assert.Contains("'taken'", taken.Message);
        await Assert.ThrowsAsync<TrackingNotFoundException>(() => _live.Client.UploadFileAsync(FileOwner.Experiment("nosuch"), "f", new MemoryStream([4]), Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => _live.Client.UploadFileAsync(owner, "../escape", new MemoryStream([4]), Cancel));

        // What another client might send: a trailer whose sha256 is not the bytes', no trailer, a size that lies, a chunk over the limit.
        using var channel = GrpcChannel.ForAddress(_live.Server.Address, new GrpcChannelOptions { MaxSendMessageSize = null });
        var raw = new TrackingService.TrackingServiceClient(channel);
        var ownerMessage = new ObjectRefMessage { Kind = ObjectKindCode.Experiment, Id = experiment.Id };
        byte[] bytes = RandomBytes(5000, 3);
        string wrongSha = Convert.ToHexStringLower(SHA256.HashData(RandomBytes(5000, 4)));
        string rightSha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var mismatch = await RawUploadAsync(raw, new UploadFileHeader { Owner = ownerMessage, Name = "a" }, [bytes], wrongSha);
        Assert.Equal(StatusCode.InvalidArgument, mismatch.StatusCode);
        Assert.Contains($"hash to sha256:{rightSha}, not sha256:{wrongSha}", mismatch.Status.Detail);
        var noTrailer = await RawUploadAsync(raw, new UploadFileHeader { Owner = ownerMessage, Name = "b" }, [bytes], trailerSha: null);
        Assert.Contains("without its trailer", noTrailer.Status.Detail);
        var lyingSize = await RawUploadAsync(raw, new UploadFileHeader { Owner = ownerMessage, Name = "c", Size = 10 }, [bytes], rightSha);
        Assert.Contains("header said 10 bytes", lyingSize.Status.Detail);
        var bigChunk = await RawUploadAsync(raw, new UploadFileHeader { Owner = ownerMessage, Name = "d" }, [new byte[TrackingServerClient.FileChunkBytes + 1]], rightSha);
        Assert.Contains("the limit is 1,048,576", bigChunk.Status.Detail);
        var labelKind = await RawUploadAsync(raw, new UploadFileHeader { Owner = new ObjectRefMessage { Kind = ObjectKindCode.Model, Id = "m1" }, Name = "e" }, [bytes], rightSha);
        Assert.Contains("experiment or a model version", labelKind.Status.Detail);
        foreach (var refused in new[] { noTrailer, lyingSize, bigChunk, labelKind }) Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);

        Assert.Equal(["taken"], (await _live.Client.ListFilesAsync(owner, Cancel)).Select(f => f.File.Name));
        Assert.Single(await _live.Client.ReadEventsAsync(new EventQuery { Kinds = [TrackingEventKinds.FileAttached] }, Cancel));
    }

    [Fact]
    public async Task A_corrupt_blob_ends_the_download_DataLoss_and_a_missing_one_NotFound()
    {
        var experiment = await _live.Client.CreateExperimentAsync(new ExperimentDraft("vision", "run", "me@example.com"), Cancel);
        var owner = FileOwner.Experiment(experiment.Id);
        byte[] bytes = RandomBytes(2 * TrackingServerClient.FileChunkBytes + 7, 5);
        var attached = await _live.Client.UploadFileAsync(owner, "weights.bin", new MemoryStream(bytes), Cancel);

        string path = _live.Blobs.PathOf(attached.File.Sha256);
        File.SetAttributes(path, FileAttributes.Normal);
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = bytes.Length - 1;
            file.WriteByte((byte)(bytes[^1] ^ 0xFF));
        }
        var corrupt = await Assert.ThrowsAsync<RpcException>(() => _live.Client.DownloadFileAsync(owner, "weights.bin", new MemoryStream(), Cancel));
        Assert.Equal(StatusCode.DataLoss, corrupt.StatusCode);
        Assert.Contains("corrupt", corrupt.Status.Detail);

        await _live.Client.AttachFileAsync(owner, new FileRef("never-uploaded", new string('e', 64), 3), Cancel);
        var missing = await Assert.ThrowsAsync<TrackingNotFoundException>(() => _live.Client.DownloadFileAsync(owner, "never-uploaded", new MemoryStream(), Cancel));
        Assert.Contains("not in the blob store", missing.Message);
        await Assert.ThrowsAsync<TrackingNotFoundException>(() => _live.Client.DownloadFileAsync(owner, "no-such-file", new MemoryStream(), Cancel));
    }

    [Fact]
    public async Task A_server_without_a_blob_store_refuses_file_contents_FailedPrecondition_but_keeps_file_records()
    {
        await using var bare = await LiveTrackingServer.StartAsync(Cancel, withBlobs: false);
        var experiment = await bare.Client.CreateExperimentAsync(new ExperimentDraft("vision", "run", "me@example.com"), Cancel);
        var owner = FileOwner.Experiment(experiment.Id);
        var upload = await Assert.ThrowsAsync<RpcException>(() => bare.Client.UploadFileAsync(owner, "f", new MemoryStream([1]), Cancel));
        Assert.Equal(StatusCode.FailedPrecondition, upload.StatusCode);
        Assert.Contains("without a blob store", upload.Status.Detail);
        await bare.Client.AttachFileAsync(owner, new FileRef("f", new string('a', 64), 1), Cancel);
        var download = await Assert.ThrowsAsync<RpcException>(() => bare.Client.DownloadFileAsync(owner, "f", new MemoryStream(), Cancel));
        Assert.Equal(StatusCode.FailedPrecondition, download.StatusCode);
    }

    private static async Task<RpcException> RawUploadAsync(TrackingService.TrackingServiceClient raw, UploadFileHeader header, byte[][] chunks, string? trailerSha)
    {
        using var call = raw.UploadFile(cancellationToken: Cancel);
        try
        {
            await call.RequestStream.WriteAsync(new UploadFileRequest { Header = header }, Cancel);
            foreach (byte[] chunk in chunks) await call.RequestStream.WriteAsync(new UploadFileRequest { Chunk = ByteString.CopyFrom(chunk) }, Cancel);
            if (trailerSha is not null) await call.RequestStream.WriteAsync(new UploadFileRequest { Trailer = new UploadFileTrailer { Sha256 = trailerSha } }, Cancel);
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server ended the call before all was sent; its status is in the response.
        }
        return await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        byte[] bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
