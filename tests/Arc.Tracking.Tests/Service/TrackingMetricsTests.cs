using System.Net;
using System.Net.Http.Headers;
using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;
using Grpc.Core;
using Xunit;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// The Prometheus endpoint (docs/tracking.md, "Metrics"): a real <see cref="TrackingServer"/> on 127.0.0.1, called through
/// <see cref="TrackingServerClient"/>, then scraped over HTTP/1.1 as Prometheus does; the exposition text is parsed and
/// each count compared with the calls the test made.
/// </summary>
public sealed class TrackingMetricsTests : IAsyncLifetime
{
    private readonly DirectoryInfo _scratch = TestScratch.Create();
    private SqliteMetadataStore _store = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
        => _store = await SqliteMetadataStore.OpenAsync(Path.Combine(_scratch.FullName, "metadata.db"), Cancel);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        TestScratch.Delete(_scratch);
    }

    private static async Task<(HttpStatusCode Status, string Text, string? ContentType)> ScrapeAsync(Uri metrics, string? token = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, metrics) { Version = HttpVersion.Version11 };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, Cancel);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_scrape_counts_calls_latency_points_events_and_store_errors()
    {
        await using var server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Port = 0, MetricsPort = 0 }, Cancel);
        Assert.NotNull(server.MetricsAddress);
        Assert.Equal("127.0.0.1", server.MetricsAddress!.Host);
        Assert.NotEqual(server.Address.Port, server.MetricsAddress.Port);
        using var client = new TrackingServerClient(server.Address);

        var experiment = await client.CreateExperimentAsync(new ExperimentDraft("vision", "mlp", "me@example.com"), Cancel);
        await client.CreateExperimentAsync(new ExperimentDraft("vision", "cnn", "me@example.com"), Cancel);
        await client.CreateModelAsync(new RegisteredModelDraft("nlp", "tagger", "me@example.com"), Cancel);
        var batch = new MetricBatch(experiment.Id, Enumerable.Range(0, 250).Select(i => new MetricPoint("loss", i, DateTimeOffset.UtcNow, 1.0 / (i + 1))));
        Assert.Equal(MetricBatchOutcome.Stored, await client.LogMetricsAsync(batch, Cancel));
        Assert.Equal(MetricBatchOutcome.AlreadyStored, await client.LogMetricsAsync(batch, Cancel)); // a retry stores nothing
        await client.LogMetricsAsync(new MetricBatch(experiment.Id, [new MetricPoint("acc", 1, DateTimeOffset.UtcNow, 0.9)]), Cancel);
        await client.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Finished, cancellationToken: Cancel);
        await Assert.ThrowsAsync<TrackingNotFoundException>(() => client.GetExperimentAsync(new string('f', 32), Cancel));
        await Assert.ThrowsAsync<TrackingAlreadyExistsException>(() => client.CreateExperimentAsync(new ExperimentDraft("vision", "mlp", "me@example.com"), Cancel));
        for (int i = 0; i < 3; i++) await client.ListExperimentsAsync(cancellationToken: Cancel);

        var (status, text, contentType) = await ScrapeAsync(server.MetricsAddress);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/plain", contentType);
        var scrape = PrometheusText.Parse(text);

        Assert.Equal("counter", scrape.Types["arc_tracking_calls_total"]);
        Assert.Equal("histogram", scrape.Types["arc_tracking_call_duration_seconds"]);
        Assert.Equal(2, scrape.Value("arc_tracking_calls_total", ("method", "CreateExperiment"), ("code", "OK")));
        Assert.Equal(1, scrape.Value("arc_tracking_calls_total", ("method", "CreateExperiment"), ("code", "AlreadyExists")));
        Assert.Equal(1, scrape.Value("arc_tracking_calls_total", ("method", "GetExperiment"), ("code", "NotFound")));
        Assert.Equal(3, scrape.Value("arc_tracking_calls_total", ("method", "LogMetrics"), ("code", "OK")));
        Assert.Equal(3, scrape.Value("arc_tracking_calls_total", ("method", "ListExperiments"), ("code", "OK")));
        Assert.Equal(3, scrape.Value("arc_tracking_call_duration_seconds_count", ("method", "ListExperiments")));
        Assert.Equal(3, scrape.Value("arc_tracking_call_duration_seconds_bucket", ("method", "ListExperiments"), ("le", "+Inf")));
        Assert.InRange(scrape.Value("arc_tracking_call_duration_seconds_sum", ("method", "ListExperiments"))!.Value, 1e-7, 30);

        Assert.Equal(251, scrape.Value("arc_tracking_metric_points_stored_total"));
        Assert.Equal(2, scrape.Value("arc_tracking_events_total", ("kind", "namespace.created")));
        Assert.Equal(2, scrape.Value("arc_tracking_events_total", ("kind", "experiment.created")));
        Assert.Equal(1, scrape.Value("arc_tracking_events_total", ("kind", "model.created")));
        Assert.Equal(1, scrape.Value("arc_tracking_events_total", ("kind", "experiment.status_changed")));
        // The counts match the store's own event log, which has one event per committed change.
        var events = await _store.ReadEventsAsync(new EventQuery { Limit = 1000 }, Cancel);
        Assert.Equal(6, events.Count);
        Assert.Null(scrape.Value("arc_tracking_store_errors_total", ("operation", "ListModels")));

        // A store that fails (here: closed under the running server) is a store error, and the call ends Unknown.
        await _store.DisposeAsync();
        var failed = await Assert.ThrowsAsync<RpcException>(() => client.ListModelsAsync(cancellationToken: Cancel));
        Assert.Equal(StatusCode.Unknown, failed.StatusCode);
        var after = PrometheusText.Parse((await ScrapeAsync(server.MetricsAddress)).Text);
        Assert.Equal(1, after.Value("arc_tracking_store_errors_total", ("operation", "ListModels")));
        Assert.Equal(1, after.Value("arc_tracking_calls_total", ("method", "ListModels"), ("code", "Unknown")));
        Assert.Equal(251, after.Value("arc_tracking_metric_points_stored_total"));
    }

    [Fact]
    public async Task With_tokens_a_scrape_needs_one_and_refused_calls_are_counted()
    {
        const string secret = "scrape-secret-0123456789";
        var token = new TrackingToken("prometheus", secret, new Dictionary<string, TrackingAccess> { ["vision"] = TrackingAccess.Read });
        await using var server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Port = 0, MetricsPort = 0, Tokens = [token] }, Cancel);
        using (var anonymous = new TrackingServerClient(server.Address))
            await Assert.ThrowsAsync<RpcException>(() => anonymous.ListNamespacesAsync(Cancel));
        using (var reader = new TrackingServerClient(server.Address, secret))
            await Assert.ThrowsAsync<RpcException>(() => reader.CreateModelAsync(new RegisteredModelDraft("vision", "m", "me@example.com"), Cancel));

        Assert.Equal(HttpStatusCode.Unauthorized, (await ScrapeAsync(server.MetricsAddress!)).Status);
        var (status, text, _) = await ScrapeAsync(server.MetricsAddress!, secret);
        Assert.Equal(HttpStatusCode.OK, status);
        var scrape = PrometheusText.Parse(text);
        Assert.Equal(1, scrape.Value("arc_tracking_calls_total", ("method", "ListNamespaces"), ("code", "Unauthenticated")));
        Assert.Equal(1, scrape.Value("arc_tracking_calls_total", ("method", "CreateModel"), ("code", "PermissionDenied")));
        Assert.Null(scrape.Value("arc_tracking_events_total", ("kind", "model.created")));
    }

    [Fact]
    public async Task File_contents_are_counted_in_and_out_of_the_blob_store()
    {
        var blobs = new DiskBlobStore(Path.Combine(_scratch.FullName, "blobs"));
        await using var server = await TrackingServer.StartAsync(_store, blobs, new TrackingServerOptions { Port = 0, MetricsPort = 0 }, Cancel);
        using var client = new TrackingServerClient(server.Address);
        var experiment = await client.CreateExperimentAsync(new ExperimentDraft("vision", "files", "me@example.com"), Cancel);
        var owner = FileOwner.Experiment(experiment.Id);
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(13).NextBytes(content);
        await client.UploadFileAsync(owner, "weights.bin", new MemoryStream(content), Cancel);
        for (int i = 0; i < 2; i++)
        {
            using var downloaded = new MemoryStream();
            await client.DownloadFileAsync(owner, "weights.bin", downloaded, Cancel);
            Assert.Equal(content.Length, downloaded.Length);
        }

        var scrape = PrometheusText.Parse((await ScrapeAsync(server.MetricsAddress!)).Text);
        Assert.Equal(content.Length, scrape.Value("arc_tracking_blob_bytes_total", ("direction", "in")));
        Assert.Equal(2.0 * content.Length, scrape.Value("arc_tracking_blob_bytes_total", ("direction", "out")));
        Assert.Equal(1, scrape.Value("arc_tracking_events_total", ("kind", "file.attached")));
    }

    [Fact]
    public async Task No_metrics_port_means_no_endpoint()
    {
        await using var server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Port = 0, MetricsPort = null }, Cancel);
        Assert.Null(server.MetricsAddress);
    }
}
