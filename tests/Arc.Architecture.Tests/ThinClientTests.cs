using System.Diagnostics;
using Xunit;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Architecture.Tests;

/// <summary>
/// A program that only calls a remote model pays for no libtorch: samples/ThinClient references Arc.Remote alone,
/// publishes small and without any native torch file, and its published form gets the same answers from a real
/// worker as the model gives in process.
/// </summary>
public sealed class ThinClientTests
{
    private const long MaxPublishedBytes = 30L * 1024 * 1024;

    [Fact]
    public async Task The_thin_client_publishes_without_libtorch_and_calls_a_real_worker()
    {
        var ct = TestContext.Current.CancellationToken;
        string output = Directory.CreateTempSubdirectory("arc-thin-client-").FullName;
        try
        {
            string project = Path.Combine(AssemblyGraph.RepositoryRoot(), "samples", "ThinClient", "ThinClient.csproj");
            var publish = await Run("dotnet", ["publish", project, "-c", "Release", "-o", output, "-nologo", "-clp:ErrorsOnly"], null, ct);
            Assert.True(publish.ExitCode == 0, $"dotnet publish failed ({publish.ExitCode}):\n{publish.Stdout}\n{publish.Stderr}");

            var files = Directory.GetFiles(output, "*", SearchOption.AllDirectories);
            long size = files.Sum(f => new FileInfo(f).Length);
            Assert.True(size < MaxPublishedBytes, $"the thin client publishes {size / (1024.0 * 1024):F1} MB, over {MaxPublishedBytes / (1024 * 1024)} MB");
            var heavy = files.Select(Path.GetFileName)
                .Where(n => n!.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase) || n.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase)
                            || n.StartsWith("libLibTorchSharp", StringComparison.OrdinalIgnoreCase) || n.StartsWith("Arc.Sdk", StringComparison.Ordinal)
                            || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
                .ToArray();
            Assert.True(heavy.Length == 0, "the thin client's publish folder holds " + string.Join(", ", heavy));

            var model = new BrightestRowModel();
            await using var server = await ArcWorkerHost.StartAsync(WorkerServices.Model(model), cancellationToken: ct);
            var call = await Run("dotnet", [Path.Combine(output, "ThinClient.dll"), server.Address.ToString(), "3", "4", "5"],
                new() { ["ARC_WORKER_TOKEN"] = server.Token }, ct);
            Assert.True(call.ExitCode == 0, $"the thin client failed ({call.ExitCode}):\n{call.Stdout}\n{call.Stderr}");

            var expected = model.Predict(ThinClientPixels(3, 4, 5));
            Assert.Contains($"model={model.Name} ", call.Stdout);
            Assert.Contains("classes=" + string.Join(",", expected.IndexSpan.ToArray()), call.Stdout);

            var refused = await Run("dotnet", [Path.Combine(output, "ThinClient.dll"), server.Address.ToString()],
                new() { ["ARC_WORKER_TOKEN"] = Arc.Remote.ArcWorkerToken.Generate() }, ct);  // another worker's token
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("error:", refused.Stderr);
            Assert.Contains("token", refused.Stderr);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>The pixel formula samples/ThinClient/Program.cs documents.</summary>
    private static ImageData ThinClientPixels(int count, int height, int width)
    {
        var pixels = new float[count * height * width];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)((i * 37 % 101) / 100.0 - 0.5);
        return new ImageData(ArcArray.From(pixels, count, 1, height, width));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Run(string file, string[] args,
        Dictionary<string, string>? environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
