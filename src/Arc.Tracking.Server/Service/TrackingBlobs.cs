namespace Arc.Tracking.Server;

/// <summary>The blob store a server keeps file contents in, or none (a server started without one refuses file contents, not file records).</summary>
internal sealed record TrackingBlobs(IBlobStore? Store)
{
    /// <summary>The blob store; a FailedPrecondition status when the server has none.</summary>
    public IBlobStore Required => Store ?? throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.FailedPrecondition,
        "this tracking server was started without a blob store, so it keeps no file contents: start it with one (TrackingServer.StartAsync(store, blobs, options))"));
}
