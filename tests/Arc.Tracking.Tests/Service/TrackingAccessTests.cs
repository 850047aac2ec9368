using System.Net;
using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// Access by namespace token (docs/tracking.md, "Access"): a real <see cref="TrackingServer"/> on 127.0.0.1 with three
/// tokens — one writing <c>vision</c>, one only reading it, one writing everything — called through
/// <see cref="TrackingServerClient"/> with each, with none and with a wrong one.
/// </summary>
public sealed class TrackingAccessTests : IAsyncLifetime
{
    private const string WriterSecret = "writer-secret-0123456789";
    private const string ReaderSecret = "reader-secret-0123456789";
    private const string AdminSecret = "admin-secret-0123456789a";
    private readonly DirectoryInfo _scratch = TestScratch.Create();
    private SqliteMetadataStore _store = null!;
    private DiskBlobStore _blobs = null!;
    private TrackingServer _server = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly TrackingToken[] Tokens =
    [
        new("vision-writer", WriterSecret, new Dictionary<string, TrackingAccess> { ["vision"] = TrackingAccess.Write }),
        new("vision-reader", ReaderSecret, new Dictionary<string, TrackingAccess> { ["vision"] = TrackingAccess.Read }),
        new("admin", AdminSecret, new Dictionary<string, TrackingAccess> { [TrackingToken.AnyNamespace] = TrackingAccess.Write }),
    ];

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteMetadataStore.OpenAsync(Path.Combine(_scratch.FullName, "metadata.db"), Cancel);
        _blobs = new DiskBlobStore(Path.Combine(_scratch.FullName, "blobs"));
        _server = await TrackingServer.StartAsync(_store, _blobs, new TrackingServerOptions { Port = 0, MetricsPort = null, Tokens = Tokens }, Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
        TestScratch.Delete(_scratch);
    }

    private TrackingServerClient Client(string? token) => new(_server.Address, token);

    private static ExperimentDraft Draft(string space, string name) => new(space, name, "me@example.com");

    [Fact]
    public async Task A_call_without_a_token_or_with_a_wrong_one_is_unauthenticated()
    {
        using var none = Client(null);
        var missing = await Assert.ThrowsAsync<RpcException>(() => none.ListExperimentsAsync(cancellationToken: Cancel));
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Contains("needs a token", missing.Status.Detail);

        using var wrong = Client("not-a-token-of-this-server");
        var unknown = await Assert.ThrowsAsync<RpcException>(() => wrong.CreateExperimentAsync(Draft("vision", "a"), Cancel));
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
        Assert.Contains("not one of this tracking server's tokens", unknown.Status.Detail);

        // A secret that differs from a real one in its last character only is as unknown as any other.
        using var near = Client(WriterSecret[..^1] + "X");
        Assert.Equal(StatusCode.Unauthenticated,
            (await Assert.ThrowsAsync<RpcException>(() => near.ListNamespacesAsync(Cancel))).StatusCode);
        Assert.Empty(await _store.ListExperimentsAsync(null, Cancel));
    }

    [Fact]
    public async Task The_token_is_checked_before_the_request_is_decoded()
    {
        // Bytes that are no protobuf message: with a token the server would answer InvalidArgument (it decoded them);
        // without one it must answer Unauthenticated, having read nothing.
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var invoker = channel.CreateCallInvoker();
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "arc.tracking.v1.TrackingService", "CreateExperiment", bytes, bytes);
        byte[] garbage = [0xff, 0xff, 0xff, 0xff, 0x0f];

        var anonymous = await Assert.ThrowsAsync<RpcException>(async () =>
            await invoker.AsyncUnaryCall(method, null, new CallOptions(cancellationToken: Cancel), garbage));
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);

        var headers = new Metadata { { "authorization", "Bearer " + WriterSecret } };
        var admitted = await Assert.ThrowsAsync<RpcException>(async () =>
            await invoker.AsyncUnaryCall(method, null, new CallOptions(headers, cancellationToken: Cancel), garbage));
        Assert.Equal(StatusCode.InvalidArgument, admitted.StatusCode);
    }

    [Fact]
    public async Task A_read_only_token_reads_but_cannot_write()
    {
        using var writer = Client(WriterSecret);
        using var reader = Client(ReaderSecret);
        var experiment = await writer.CreateExperimentAsync(Draft("vision", "mlp"), Cancel);

        Assert.Equal(experiment.Id, (await reader.GetExperimentAsync(experiment.Id, Cancel)).Id);
        Assert.Equal(experiment.Id, (await reader.FindExperimentAsync("vision", "mlp", Cancel))!.Id);
        Assert.Empty(await reader.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel));

        var create = await Assert.ThrowsAsync<RpcException>(() => reader.CreateExperimentAsync(Draft("vision", "other"), Cancel));
        Assert.Equal(StatusCode.PermissionDenied, create.StatusCode);
        Assert.Contains("token 'vision-reader' may not write namespace 'vision' (it may read it)", create.Status.Detail);

        var log = await Assert.ThrowsAsync<RpcException>(() => reader.LogMetricsAsync(
            new MetricBatch(experiment.Id, [new MetricPoint("loss", 1, DateTimeOffset.UtcNow, 0.5)]), Cancel));
        Assert.Equal(StatusCode.PermissionDenied, log.StatusCode);
        var status = await Assert.ThrowsAsync<RpcException>(() => reader.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Killed, cancellationToken: Cancel));
        Assert.Equal(StatusCode.PermissionDenied, status.StatusCode);

        // Nothing the refused calls carried was stored.
        Assert.Single(await _store.ListExperimentsAsync("vision", Cancel));
        Assert.Empty(await _store.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel));
        Assert.Equal(ExperimentStatus.Running, (await _store.GetExperimentAsync(experiment.Id, Cancel)).Status);
    }

    [Fact]
    public async Task Another_namespace_is_closed_and_cross_namespace_lists_are_cut_to_the_granted_ones()
    {
        using var admin = Client(AdminSecret);
        using var writer = Client(WriterSecret);
        var nlp = await admin.CreateExperimentAsync(Draft("nlp", "bert"), Cancel);
        var nlpModel = await admin.CreateModelAsync(new RegisteredModelDraft("nlp", "tagger", "me@example.com"), Cancel);
        var vision = await writer.CreateExperimentAsync(Draft("vision", "cnn"), Cancel);

        foreach (var call in new Func<Task>[]
                 {
                     () => writer.CreateExperimentAsync(Draft("nlp", "mine"), Cancel),
                     () => writer.GetExperimentAsync(nlp.Id, Cancel),
                     () => writer.FindExperimentAsync("nlp", "bert", Cancel),
                     () => writer.ListExperimentsAsync("nlp", Cancel),
                     () => writer.ReadLatestMetricsAsync(nlp.Id, Cancel),
                     () => writer.ListCheckpointsAsync(nlp.Id, Cancel),
                     () => writer.GetModelAsync(nlpModel.Id, Cancel),
                     () => writer.CreateModelAsync(new RegisteredModelDraft("nlp", "x", "me@example.com"), Cancel),
                 })
        {
            var denied = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
            Assert.Contains("token 'vision-writer' may not", denied.Status.Detail);
            Assert.Contains("namespace 'nlp'", denied.Status.Detail);
        }

        Assert.Equal([vision.Id], (await writer.ListExperimentsAsync(cancellationToken: Cancel)).Select(e => e.Id));
        Assert.Equal(["vision"], (await writer.ListNamespacesAsync(Cancel)).Select(n => n.Name));
        Assert.Empty(await writer.ListModelsAsync(cancellationToken: Cancel));
        Assert.Equal(2, (await admin.ListExperimentsAsync(cancellationToken: Cancel)).Count);

        // An id that does not exist is NotFound, as without tokens; a malformed namespace is InvalidArgument, not a denial.
        await Assert.ThrowsAsync<TrackingNotFoundException>(() => writer.GetExperimentAsync(new string('f', 32), Cancel));
        using var raw = GrpcChannel.ForAddress(_server.Address);
        var client = new TrackingService.TrackingServiceClient(raw);
        var headers = new Metadata { { "authorization", "Bearer " + WriterSecret } };
        var invalid = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.FindExperimentAsync(new FindExperimentRequest { Namespace = "Not A Namespace", Name = "x" }, headers, cancellationToken: Cancel));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
    }

    [Fact]
    public async Task Versions_labels_files_and_events_follow_the_namespace_grants()
    {
        using var writer = Client(WriterSecret);
        using var reader = Client(ReaderSecret);
        using var admin = Client(AdminSecret);
        var model = await writer.CreateModelAsync(new RegisteredModelDraft("vision", "digits", "me@example.com"), Cancel);
        var version = await writer.CreateModelVersionAsync(new ModelVersionDraft(model.Id), Cancel);
        await writer.SetLabelAsync(LabelTarget.ModelVersion(version.Id), "stage", "dev", Cancel);
        var experiment = await writer.CreateExperimentAsync(Draft("vision", "run"), Cancel);
        var owner = FileOwner.Experiment(experiment.Id);
        await writer.UploadFileAsync(owner, "notes.txt", new MemoryStream("hello"u8.ToArray()), Cancel);
        var nlpModel = await admin.CreateModelAsync(new RegisteredModelDraft("nlp", "tagger", "me@example.com"), Cancel);
        var nlpVersion = await admin.CreateModelVersionAsync(new ModelVersionDraft(nlpModel.Id), Cancel);

        // The reader reads all of it.
        Assert.Single(await reader.ListModelVersionsAsync(model.Id, Cancel));
        Assert.Equal("dev", (await reader.GetModelVersionAsync(version.Id, Cancel)).Labels["stage"]);
        Assert.NotNull(await reader.FindModelVersionAsync(model.Id, 1, Cancel));
        Assert.Single(await reader.ListFilesAsync(owner, Cancel));
        using (var downloaded = new MemoryStream())
        {
            await reader.DownloadFileAsync(owner, "notes.txt", downloaded, Cancel);
            Assert.Equal("hello"u8.ToArray(), downloaded.ToArray());
        }
        Assert.All(await reader.ReadEventsAsync(new EventQuery { Namespace = "vision" }, Cancel), e => Assert.Equal("vision", e.Namespace));

        // ...and writes none of it.
        var sha = new string('a', 64);
        foreach (var call in new Func<Task>[]
                 {
                     () => reader.CreateModelVersionAsync(new ModelVersionDraft(model.Id), Cancel),
                     () => reader.SetLabelAsync(LabelTarget.ModelVersion(version.Id), "stage", "prod", Cancel),
                     () => reader.RemoveLabelAsync(LabelTarget.ModelVersion(version.Id), "stage", Cancel),
                     () => reader.SetLabelAsync(LabelTarget.Model(model.Id), "team", "x", Cancel),
                     () => reader.AttachFileAsync(owner, new FileRef("other.txt", sha, 5), Cancel),
                     () => reader.UploadFileAsync(owner, "more.txt", new MemoryStream("bye"u8.ToArray()), Cancel),
                 })
        {
            var denied = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
            Assert.Contains("token 'vision-reader' may not write namespace 'vision'", denied.Status.Detail);
        }
        Assert.Equal("dev", (await _store.GetModelVersionAsync(version.Id, Cancel)).Labels["stage"]);
        Assert.Single(await _store.ListFilesAsync(owner, Cancel));
        Assert.Single(await _store.ListModelVersionsAsync(model.Id, Cancel));

        // Another namespace's versions are closed; events of every namespace need "*".
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => writer.GetModelVersionAsync(nlpVersion.Id, Cancel))).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => writer.ListModelVersionsAsync(nlpModel.Id, Cancel))).StatusCode);
        var allEvents = await Assert.ThrowsAsync<RpcException>(() => reader.ReadEventsAsync(new EventQuery(), Cancel));
        Assert.Equal(StatusCode.PermissionDenied, allEvents.StatusCode);
        Assert.Contains("may not read every namespace's events", allEvents.Status.Detail);
        var watch = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in writer.WatchEventsAsync(new EventQuery { Namespace = "nlp" }, Cancel)) { }
        });
        Assert.Equal(StatusCode.PermissionDenied, watch.StatusCode);
        Assert.Contains(await admin.ReadEventsAsync(new EventQuery(), Cancel), e => e.Namespace == "nlp");
    }

    [Fact]
    public void Every_method_of_the_service_has_an_access_rule()
    {
        // A default request of each method's type: a rule may refuse its empty fields (ArgumentException), but it must exist.
        foreach (var method in TrackingService.Descriptor.Methods)
        {
            var request = method.InputType.Parser.ParseFrom(ReadOnlySpan<byte>.Empty);
            bool covered;
            try
            {
                covered = Arc.Tracking.Server.AccessRules.For(request) is not null;
            }
            catch (ArgumentException)
            {
                covered = true;
            }
            Assert.True(covered, $"{method.Name} has no access rule");
        }
    }

    [Fact]
    public async Task A_server_off_loopback_without_tokens_or_without_tls_refuses_to_start()
    {
        // Both refusals come before anything binds: no address but loopback is ever listened on.
        var noTokens = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TrackingServer.StartAsync(_store, new TrackingServerOptions { Address = IPAddress.Any, Port = 0, MetricsPort = null }, Cancel));
        Assert.Contains("with no token", noTokens.Message);
        Assert.Contains("bind 127.0.0.1", noTokens.Message);

        var noTls = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TrackingServer.StartAsync(_store, new TrackingServerOptions { Address = IPAddress.Any, Port = 0, MetricsPort = null, Tokens = Tokens }, Cancel));
        Assert.Contains("needs TLS", noTls.Message);
        Assert.Contains("clear text", noTls.Message);
    }

    [Fact]
    public async Task Tokens_are_checked_when_made()
    {
        var grants = new Dictionary<string, TrackingAccess> { ["vision"] = TrackingAccess.Read };
        Assert.Contains("at least 16", Assert.Throws<ArgumentException>(() => new TrackingToken("ci", "short", grants)).Message);
        Assert.Throws<ArgumentException>(() => new TrackingToken("ci", "0123456789abcdef", new Dictionary<string, TrackingAccess>()));
        Assert.Throws<ArgumentException>(() => new TrackingToken("ci", "0123456789abcdef", new Dictionary<string, TrackingAccess> { ["Bad Space"] = TrackingAccess.Read }));
        var token = new TrackingToken("ci", "0123456789abcdef", grants);
        Assert.DoesNotContain("0123456789abcdef", token.ToString());
        Assert.True(token.Allows("vision", TrackingAccess.Read));
        Assert.False(token.Allows("vision", TrackingAccess.Write));
        Assert.False(token.Allows("nlp", TrackingAccess.Read));

        // Two tokens with one secret (or one name) would make a caller ambiguous: the server refuses to start.
        var twin = new TrackingToken("other", "0123456789abcdef", grants);
        await Assert.ThrowsAsync<ArgumentException>(() => TrackingServer.StartAsync(_store, new TrackingServerOptions { Port = 0, MetricsPort = null, Tokens = [token, twin] }, Cancel));
    }

    [Fact]
    public void A_client_refuses_to_send_a_token_in_clear_text_off_loopback()
    {
        var refused = Assert.Throws<ArgumentException>(() => new TrackingServerClient(new Uri("http://tracking.example.internal:7740"), WriterSecret));
        Assert.Contains("clear text", refused.Message);
        using var tls = new TrackingServerClient(new Uri("https://tracking.example.internal:7740"), WriterSecret);
    }
}
