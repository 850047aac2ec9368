using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Arc.Serving.Tests;

/// <summary>
/// A Python client written from the Open Inference Protocol v2 specification (Clients/oip_client.py, Debian's
/// python3 with python3-requests) calls <c>/v2/models/{name}/infer</c> with JSON tensors and with binary tensors, and
/// gets the class the model in this process predicts.
/// </summary>
[Collection(TrainedDigitsCollection.Name)]
public sealed class OipPythonClientTests(TrainedDigits digits)
{
    [Fact]
    public async Task The_python_oip_client_gets_the_in_process_class_with_json_and_binary_tensors()
    {
        await using var server = await Servers.StartAsync(digits);
        string folder = Directory.CreateTempSubdirectory("arc-serving-python-").FullName;
        try
        {
            foreach (var (_, image, _) in digits.Digits.Skip(4).Take(3))
            {
                string tensor = Path.Combine(folder, "tensor.json");
                await File.WriteAllTextAsync(tensor, JsonSerializer.Serialize(new { shape = new[] { 1, 1, 28, 28 }, data = image.Pixels.ToArray<float>() }), TestContext.Current.CancellationToken);
                int expected = digits.PredictInProcess(image);

                var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Clients", "oip_client.py"));
                start.ArgumentList.Add(server.Address.ToString());
                start.ArgumentList.Add(server.ModelName);
                start.ArgumentList.Add(tensor);
                using var python = Process.Start(start)!;
                var stdout = python.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
                var stderr = python.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
                await python.WaitForExitAsync(TestContext.Current.CancellationToken);
                string output = await stdout, errors = await stderr;
                Assert.True(python.ExitCode == 0, $"python exited {python.ExitCode}:\n{output}\n{errors}");
                string e = expected.ToString(CultureInfo.InvariantCulture);
                Assert.Equal($"json {e} {e}\nbinary {e}\n", output);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
