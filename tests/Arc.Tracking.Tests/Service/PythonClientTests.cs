using System.Diagnostics;
using System.Text.Json;
using Arc.Tracking.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Xunit;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// Another language calls the service: /usr/bin/python3 with Debian's python3-grpcio and python3-protobuf only, through
/// clients/python/arc_tracking_client.py, as a child process against a real server. It logs 1,000 points and reads them
/// back; this test then checks what it reported against the store itself. The message classes come from a
/// FileDescriptorSet of tracking.proto: the descriptor Grpc.Tools' protoc compiled into Arc.Tracking at build time,
/// written out here as Python's descriptor_pool reads it. A missing Python or package fails the test, never skips it.
/// </summary>
public sealed class PythonClientTests : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private LiveTrackingServer _live = null!;
    private readonly DirectoryInfo _scratch = TestScratch.Create();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _live = await LiveTrackingServer.StartAsync(Cancel);

    public async ValueTask DisposeAsync()
    {
        if (_live is not null) await _live.DisposeAsync();
        TestScratch.Delete(_scratch);
    }

    [Fact]
    public async Task A_Python_client_creates_an_experiment_logs_1000_points_and_reads_them_back()
    {
        string descriptors = Path.Combine(_scratch.FullName, "arc-tracking-v1.protoset");
        await File.WriteAllBytesAsync(descriptors, DescriptorSet().ToByteArray(), Cancel);

        var (exitCode, stdout, stderr) = await RunAsync(Python,
        [
            RepositoryPaths.Of("tests/Arc.Tracking.Tests/Python/log_and_read_1000_points.py"),
            $"{_live.Server.Address.Host}:{_live.Server.Address.Port}",
            descriptors,
            RepositoryPaths.Of("clients/python"),
        ]);
        Assert.True(exitCode == 0, $"python3 exited {exitCode}\nstderr:\n{stderr}\nstdout:\n{stdout}");

        using var report = JsonDocument.Parse(stdout);
        var root = report.RootElement;
        string experimentId = root.GetProperty("experiment_id").GetString()!;
        Assert.Equal(Enumerable.Repeat(false, 10), root.GetProperty("already_stored").EnumerateArray().Select(e => e.GetBoolean()));
        Assert.True(root.GetProperty("retried_already_stored").GetBoolean());
        Assert.Equal(1000, root.GetProperty("points_read").GetInt32());
        Assert.Equal(Enumerable.Range(10, 10), root.GetProperty("window_steps").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("[[\"train/loss\",999]]", root.GetProperty("latest").GetRawText().Replace(" ", ""));
        Assert.Equal("ALREADY_EXISTS", root.GetProperty("duplicate_name").GetString());
        Assert.StartsWith("INVALID_ARGUMENT: ", root.GetProperty("invalid_namespace").GetString());
        Assert.Contains("Not A Label", root.GetProperty("invalid_namespace").GetString());

        // What Python read is what the store holds, bit for bit (NaN and ±∞ included), and what it logged is there once.
        var experiment = await _live.Store.GetExperimentAsync(experimentId, Cancel);
        Assert.Equal(("python", "log-1000", "none"), (experiment.Namespace, experiment.Name, experiment.Framework));
        Assert.Equal(1e-3, experiment.Hyperparameters["lr"].AsDouble());
        Assert.Equal(3, experiment.Hyperparameters["layers"].AsLong());
        var stored = await _live.Store.ReadMetricAsync(experimentId, "train/loss", cancellationToken: Cancel);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), stored.Select(p => p.Step));
        Assert.Equal(stored.Select(p => BitConverter.DoubleToInt64Bits(p.Value).ToString()),
            root.GetProperty("value_bits").EnumerateArray().Select(e => e.GetString()));
        Assert.True(double.IsNaN(stored[500].Value));
        Assert.Equal((double.PositiveInfinity, double.NegativeInfinity), (stored[501].Value, stored[502].Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000).AddTicks(999 * 10), stored[999].WallTime);
    }

    /// <summary>tracking.proto as a FileDescriptorSet: the FileDescriptorProto that protoc compiled into the generated code.</summary>
    private static FileDescriptorSet DescriptorSet()
    {
        var file = TrackingReflection.Descriptor;
        Assert.Empty(file.Dependencies); // one file; with imports, each would go into the set before it
        return new FileDescriptorSet { File = { FileDescriptorProto.Parser.ParseFrom(file.SerializedData) } };
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // A proxy named by the environment must not see loopback traffic (the client also turns grpc's proxy support off).
        foreach (string variable in new[] { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "grpc_proxy" }) start.Environment.Remove(variable);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        limit.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 120 s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
