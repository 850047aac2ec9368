using System.Net;
using System.Net.Http.Headers;

namespace Arc.Serving.Tests;

/// <summary>Readiness follows loading, HTTP/2 works beside HTTP/1.1, and SIGTERM drains the requests in flight.</summary>
[Collection(TrainedDigitsCollection.Name)]
public sealed class LifecycleTests(TrainedDigits digits)
{
    [Fact]
    public async Task A_model_that_cannot_load_leaves_the_server_live_but_not_ready()
    {
        string empty = Directory.CreateTempSubdirectory("arc-serving-empty-").FullName;
        try
        {
            await using var server = await InferenceServer.StartAsync(new DigitMlp.InferenceModule(), empty, cancellationToken: TestContext.Current.CancellationToken);
            await Assert.ThrowsAsync<InvalidDataException>(() => server.WhenReady.WaitAsync(TestContext.Current.CancellationToken));
            using var client = Servers.Client(server);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v2/health/live", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("v2/health/ready", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("ping", TestContext.Current.CancellationToken)).StatusCode);
            var content = new ByteArrayContent(digits.Digits[0].Png);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var refused = await client.PostAsync("invocations", content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("model.json", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task Http1_on_the_port_and_http2_with_prior_knowledge_on_the_http2_port_both_answer()
    {
        await using var server = await Servers.StartAsync(digits, new ServingOptions { Http2Port = 0 });
        foreach (var (version, address) in new[] { (HttpVersion.Version11, server.Address), (HttpVersion.Version20, server.Http2Address!) })
        {
            using var client = new HttpClient { BaseAddress = address, DefaultRequestVersion = version, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            var content = new ByteArrayContent(digits.Digits[2].Png);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var answer = await client.PostAsync("invocations", content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(version, answer.Version);
        }
    }

    [Fact]
    public async Task Sigterm_answers_the_request_in_flight_then_exits_cleanly()
    {
        // The batch delay holds the request in the server for 3 s: SIGTERM arrives while it is in flight.
        await using var serve = await ArcServe.StartReadyAsync(typeof(DigitMlp).Assembly.Location, digits.ModelDir, "--port", "0", "--max-batch-size", "64", "--batch-delay-ms", "3000");
        using var client = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromMinutes(1) };
        var content = new ByteArrayContent(digits.Digits[3].Png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var inFlight = client.PostAsync("invocations", content, TestContext.Current.CancellationToken);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.False(inFlight.IsCompleted, "the request was answered before SIGTERM; the test proves nothing");
        serve.Terminate();
        using var answer = await inFlight;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains($"\"data\":[{digits.PredictInProcess(digits.Digits[3].Image)}]", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("arc model server stopped", serve.Stdout);
    }
}
