using System.Text.Json;

namespace Arc.Serving.Tests;

/// <summary>
/// <c>arc serve</c> in its own process, serving the model directory training wrote from the assembly that defines the
/// model, answered by the real <c>curl</c>: a PNG of a real MNIST digit gets the class the model in this process predicts.
/// </summary>
[Collection(TrainedDigitsCollection.Name)]
public sealed class CurlInvocationTests(TrainedDigits digits)
{
    [Fact]
    public async Task Curl_posting_a_png_digit_to_invocations_gets_the_in_process_class()
    {
        await using var serve = await ArcServe.StartReadyAsync(typeof(DigitMlp).Assembly.Location, digits.ModelDir, "--port", "0");
        string folder = Directory.CreateTempSubdirectory("arc-serving-curl-").FullName;
        try
        {
            foreach (var (png, image, _) in digits.Digits.Take(4))
            {
                string file = Path.Combine(folder, "digit.png");
                await File.WriteAllBytesAsync(file, png, TestContext.Current.CancellationToken);
                int expected = digits.PredictInProcess(image);

                var (code, json, error) = await Curl.RunAsync("--fail-with-body", "-H", "Content-Type: image/png", "--data-binary", "@" + file, new Uri(serve.Address, "invocations").ToString());
                Assert.True(code == 0, $"curl exit {code}: {error}\n{json}\nserver: {serve.Stderr}");
                using var answer = JsonDocument.Parse(json);
                Assert.Equal("class", answer.RootElement.GetProperty("arc").GetString());
                Assert.Equal(expected, answer.RootElement.GetProperty("data")[0].GetInt64());

                // The same digit answered as text, as a person reading the terminal would ask for it.
                var (textCode, text, textError) = await Curl.RunAsync("--fail-with-body", "-H", "Content-Type: image/png", "-H", "Accept: text/plain", "--data-binary", "@" + file, new Uri(serve.Address, "invocations").ToString());
                Assert.True(textCode == 0, textError);
                Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n", text);
            }
            var (pingCode, ping, _) = await Curl.RunAsync("--fail-with-body", new Uri(serve.Address, "ping").ToString());
            Assert.Equal(0, pingCode);
            Assert.Contains("ready", ping);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
