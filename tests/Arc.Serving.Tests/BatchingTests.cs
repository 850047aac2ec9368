using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Arc.Serving.Tests;

/// <summary>
/// Dynamic batching: concurrent requests are merged into fewer calls of the model (the server's own batch histogram
/// says how many), and every caller still gets the class of its own digit.
/// </summary>
[Collection(TrainedDigitsCollection.Name)]
public sealed class BatchingTests(TrainedDigits digits)
{
    [Fact]
    public async Task Concurrent_requests_are_merged_into_batches_and_each_caller_gets_its_own_rows()
    {
        // A long delay so that the 16 requests certainly meet in the queue even on a loaded machine.
        await using var server = await Servers.StartAsync(digits, new ServingOptions { MaxBatchSize = 16, BatchDelay = TimeSpan.FromMilliseconds(500) });
        using var client = Servers.Client(server);
        var requests = digits.Digits.Take(16).Select(async d =>
        {
            var content = new ByteArrayContent(d.Png);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var answer = await client.PostAsync("invocations", content, TestContext.Current.CancellationToken);
            string body = await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(answer.IsSuccessStatusCode, body);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(1, json.RootElement.GetProperty("shape")[0].GetInt32()); // its own row only
            return (Expected: digits.PredictInProcess(d.Image), Got: (int)json.RootElement.GetProperty("data")[0].GetInt64());
        }).ToList();
        var results = await Task.WhenAll(requests);
        Assert.All(results, r => Assert.Equal(r.Expected, r.Got));
        // The digits differ, so a mix-up of rows between callers would show.
        Assert.True(results.Select(r => r.Expected).Distinct().Count() > 3);

        string metrics = await client.GetStringAsync("metrics", TestContext.Current.CancellationToken);
        double requestsInBatches = Value(metrics, "arc_serving_batch_requests_sum");
        double modelCalls = Value(metrics, "arc_serving_batch_requests_count");
        Assert.Equal(16, requestsInBatches);
        Assert.True(modelCalls < 16, $"16 concurrent requests took {modelCalls} model calls: nothing was merged\n{metrics}");
        Assert.True(Value(metrics, "arc_serving_requests_total{endpoint=\"invocations\",code=\"200\"}") == 16, metrics);
    }

    private static double Value(string metrics, string series)
    {
        var match = Regex.Match(metrics, "^" + Regex.Escape(series) + " ([0-9.eE+-]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no {series} in\n{metrics}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
