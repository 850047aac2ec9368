using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Serving.Tests;

/// <summary>
/// Issue #16 item 6 end to end, every step a real program: the MNIST sample trains its two models and writes the better
/// one as a model directory (<c>--export-best</c>), the real <c>arc package</c> archives the sample's build output, the
/// real <c>arc serve</c> serves the archive with that model directory, and the real <c>curl</c> posts PNGs of real test
/// digits: each answer is the class the exported model predicts in this process (loaded from the sample's assembly, as
/// <c>arc serve</c> loads it).
/// </summary>
[Collection(TrainedDigitsCollection.Name)]
public sealed class MnistSampleServingTests(TrainedDigits digits)
{
    private static string MnistOutput => typeof(MnistSampleServingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MnistOutput").Value!;

    [Fact]
    public async Task The_Mnist_sample_exports_its_best_model_and_curl_gets_its_class_from_the_served_archive()
    {
        var ct = TestContext.Current.CancellationToken;
        string scratch = Directory.CreateTempSubdirectory("arc-serving-sample-").FullName;
        try
        {
            // The extracted archive goes to this test's own cache, not ~/.arc/cache.
            var environment = new Dictionary<string, string> { ["ARC_CACHE"] = Path.Combine(scratch, "cache") };
            string sampleDll = Path.Combine(MnistOutput, "Mnist.dll"), modelDir = Path.Combine(scratch, "best-model");

            var sample = await ChildProgram.RunAsync(sampleDll, environment, TimeSpan.FromMinutes(10),
                "--export-best", modelDir, "--max-per-digit", "40", "--epochs", "2", "--no-tracking");
            Assert.True(sample.ExitCode == 0, $"the sample exited {sample.ExitCode}\n{sample.Stdout}\n{sample.Stderr}");
            string best = sample.Stdout.Split('\n').Single(l => l.StartsWith("best model: ", StringComparison.Ordinal))["best model: ".Length..].Split(' ')[0];
            Assert.Contains(best, new[] { "mlpclassifier", "convclassifier" });
            Assert.Equal(best, ModelDirectory.ReadInfo(modelDir).Model);
            Assert.Contains("arc serve mnist.tar.gz " + modelDir, sample.Stdout); // the commands it prints are these

            // A folder that already holds a model is refused at once, and the model stays as it was.
            byte[] weights = await File.ReadAllBytesAsync(Path.Combine(modelDir, ModelDirectory.WeightsFile), ct);
            var again = await ChildProgram.RunAsync(sampleDll, environment, TimeSpan.FromMinutes(5), "--export-best", modelDir, "--no-tracking");
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("already holds a model", again.Stderr);
            Assert.Equal(weights, await File.ReadAllBytesAsync(Path.Combine(modelDir, ModelDirectory.WeightsFile), ct));

            string archive = Path.Combine(scratch, "mnist.tar.gz");
            var package = await ChildProgram.RunAsync(ArcServe.CliPath, environment, TimeSpan.FromMinutes(5), "package", "-m", MnistOutput, "-o", archive);
            Assert.True(package.ExitCode == 0, $"arc package exited {package.ExitCode}\n{package.Stdout}\n{package.Stderr}");

            await using var serve = await ArcServe.StartReadyAsync(environment, archive, modelDir, "--port", "0");

            UserAssemblies.Load(sampleDll);
            var model = await ModelDirectory.LoadAsync<ImageData, ClassData>(modelDir, ct);
            try
            {
                string png = Path.Combine(scratch, "digit.png");
                foreach (var (bytes, image, _) in digits.Digits.Take(8))
                {
                    await File.WriteAllBytesAsync(png, bytes, ct);
                    long expected = (await model.PredictAsync(image, ct)).IndexSpan[0];

                    var (code, text, error) = await Curl.RunAsync("--fail-with-body", "-H", "Content-Type: image/png", "-H", "Accept: text/plain",
                        "--data-binary", "@" + png, new Uri(serve.Address, "invocations").ToString());
                    Assert.True(code == 0, $"curl exit {code}: {error}\n{text}\nserver: {serve.Stderr}");
                    Assert.Equal(expected.ToString(CultureInfo.InvariantCulture) + "\n", text);
                }

                // The OIP metadata names the model the sample chose.
                var (metaCode, meta, metaError) = await Curl.RunAsync("--fail-with-body", new Uri(serve.Address, "v2/models/" + best).ToString());
                Assert.True(metaCode == 0, metaError + meta);
                Assert.Equal(best, JsonDocument.Parse(meta).RootElement.GetProperty("name").GetString());
            }
            finally
            {
                (model as IDisposable)?.Dispose();
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
