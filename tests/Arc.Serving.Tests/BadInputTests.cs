using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Arc.Serving.Tests;

/// <summary>
/// Bad requests get a clear answer and lose nothing: 400 naming the field, 413 over the size limit, 415 and 406 listing
/// what is supported, 404 for another model; after each one the server still answers a good request correctly.
/// </summary>
[Collection(TrainedDigitsCollection.Name)]
public sealed class BadInputTests(TrainedDigits digits)
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Tensor(string shape, string datatype, string data) =>
        $$"""{"inputs":[{"name":"image","shape":{{shape}},"datatype":"{{datatype}}","data":{{data}}}]}""";

    public static TheoryData<string, string> BadInferBodies => new()
    {
        { "{\"inputs\": [", "body" },
        { "[1, 2]", "body" },
        { "{}", "inputs" },
        { "{\"inputs\": []}", "inputs" },
        { Tensor("[1, 1, 28, 28]", "FP32", "[1, 2, 3]"), "inputs[0].data" },
        { Tensor("[1, 1, 28, -28]", "FP32", "[]"), "inputs[0].shape" },
        { Tensor("[1, 1, 28, 28]", "FP16", "[]"), "inputs[0].datatype" },
        { Tensor("[1, 1, 28, 28]", "INT64", "[" + string.Join(",", Enumerable.Repeat("1", 784)) + "]"), "inputs[0].datatype" },
        { Tensor("[1, 1, 2, 2]", "FP32", "[1, \"x\", 3, 4]"), "inputs[0].data[1]" },
        { Tensor("[1, 1, 2, 2]", "FP32", "[[1, 2], [3, null]]"), "inputs[0].data[3]" },
        { Tensor("[1, 1, 2, 2]", "FP32", "[[1, 2], [3]]"), "inputs[0].data" },
        { Tensor("[1, 1, 2, 2]", "FP32", "3"), "inputs[0].data" },
        { Tensor("[1, 1, 14, 14]", "FP32", "[" + string.Join(",", Enumerable.Repeat("0.5", 196)) + "]"), "inputs" },
        { Tensor("[784]", "FP32", "[" + string.Join(",", Enumerable.Repeat("0.5", 784)) + "]"), "inputs[0].shape" },
        { "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"data\":[1]}]}", "inputs[0].shape" },
    };

    [Theory]
    [MemberData(nameof(BadInferBodies))]
    public async Task A_bad_infer_request_is_400_naming_the_field_and_the_server_keeps_serving(string body, string field)
    {
        await using var server = await Servers.StartAsync(digits);
        using var client = Servers.Client(server);
        using var bad = await client.PostAsync($"v2/models/{server.ModelName}/infer", Json(body), TestContext.Current.CancellationToken);
        string text = await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        string error = JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith(field + ":", error);
        await AssertStillServesAsync(client, server);
    }

    [Fact]
    public async Task An_oversize_body_is_413_and_the_server_keeps_serving()
    {
        await using var server = await Servers.StartAsync(digits, new ServingOptions { MaxRequestBytes = 64 * 1024 });
        using var client = Servers.Client(server);
        var big = new ByteArrayContent(new byte[200 * 1024]);
        big.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var invocation = await client.PostAsync("invocations", big, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, invocation.StatusCode);
        using var infer = await client.PostAsync($"v2/models/{server.ModelName}/infer", Json(Tensor("[1]", "FP32", "[" + new string('1', 100 * 1024) + "]")), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, infer.StatusCode);
        await AssertStillServesAsync(client, server);
    }

    [Fact]
    public async Task An_unsupported_content_type_is_415_and_an_unacceptable_answer_406_each_listing_the_supported_types()
    {
        await using var server = await Servers.StartAsync(digits);
        using var client = Servers.Client(server);
        var csv = new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/csv");
        using var unsupported = await client.PostAsync("invocations", csv, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        var supported = JsonDocument.Parse(await unsupported.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("supported")
            .EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(["application/json", "application/x-msgpack", "image/png", "image/jpeg", "application/x-npy"], supported);

        using var request = new HttpRequestMessage(HttpMethod.Post, "invocations") { Content = new ByteArrayContent(digits.Digits[0].Png) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        request.Headers.Accept.ParseAdd("image/gif");
        using var notAcceptable = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotAcceptable, notAcceptable.StatusCode);
        var answers = JsonDocument.Parse(await notAcceptable.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("supported")
            .EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(["application/json", "application/x-msgpack", "text/plain", "application/x-npy"], answers);
        await AssertStillServesAsync(client, server);
    }

    [Fact]
    public async Task A_png_that_is_not_an_image_is_400_and_another_model_is_404()
    {
        await using var server = await Servers.StartAsync(digits);
        using var client = Servers.Client(server);
        var junk = new ByteArrayContent("not a png at all"u8.ToArray());
        junk.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var bad = await client.PostAsync("invocations", junk, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("image/png", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var missing = await client.PostAsync("v2/models/no-such-model/infer", Json("{}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await AssertStillServesAsync(client, server);
    }

    [Fact]
    public async Task Without_the_token_every_endpoint_is_401_and_with_it_the_model_answers()
    {
        string token = Arc.Remote.ArcWorkerToken.Generate();
        await using var server = await Servers.StartAsync(digits, new ServingOptions { Token = token });
        using var client = Servers.Client(server);
        foreach (var path in new[] { "ping", "v2/health/live", "metrics", $"v2/models/{server.ModelName}" })
        {
            using var refused = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await AssertStillServesAsync(client, server);
    }

    /// <summary>A good digit still gets the in-process class, through both protocols.</summary>
    private async Task AssertStillServesAsync(HttpClient client, InferenceServer server)
    {
        var (png, image, _) = digits.Digits[1];
        int expected = digits.PredictInProcess(image);
        var content = new ByteArrayContent(png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var invocation = await client.PostAsync("invocations", content, TestContext.Current.CancellationToken);
        string body = await invocation.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(invocation.IsSuccessStatusCode, body);
        Assert.Equal(expected, JsonDocument.Parse(body).RootElement.GetProperty("data")[0].GetInt64());

        string tensor = Tensor("[1, 1, 28, 28]", "FP32", JsonSerializer.Serialize(image.Pixels.ToArray<float>()));
        using var infer = await client.PostAsync($"v2/models/{server.ModelName}/infer", Json(tensor), TestContext.Current.CancellationToken);
        string inferBody = await infer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(infer.IsSuccessStatusCode, inferBody);
        var outputs = JsonDocument.Parse(inferBody).RootElement.GetProperty("outputs");
        Assert.Equal(expected, outputs[0].GetProperty("data")[0].GetInt64());
    }
}
