using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The protocol is usable from outside .NET with only its documentation: Debian's /usr/bin/python3 with
/// python3-grpcio and python3-msgpack (no generated stubs) calls Describe and Predict on a real worker and gets the
/// answers C# computes for the same pixels. The script is the one docs/remote-protocol.md shows.
/// </summary>
public sealed class PythonClientTests
{
    private const string Python = "/usr/bin/python3";
    private const int Count = 6, Rows = 3, Width = 4;
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);

    private static string Here([CallerFilePath] string here = "") => Path.GetDirectoryName(here)!;

    private static string Script => Path.Combine(Here(), "Python", "arc_client.py");

    private static string ProtocolDoc => Path.GetFullPath(Path.Combine(Here(), "..", "..", "..", "docs", "remote-protocol.md"));

    /// <summary>The script's documented pixel formula, evaluated in double and rounded to float32 as Python's struct does.</summary>
    private static float[] ScriptPixels(int count) =>
        Enumerable.Range(0, count).Select(i => (float)((i * 37 % 101) / 100.0 - 0.5)).ToArray();

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunPython(string token, params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["ARC_WORKER_TOKEN"] = token;
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(ProcessLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Python} {string.Join(' ', args)} did not finish in {ProcessLimit.TotalSeconds} s (killed)");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task RequirePythonModule(string module, string debianPackage)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3 and {debianPackage} (scripts/install-prereqs.sh)");
        var (code, stdout, stderr) = await RunPython(token: "", "-c", $"import {module}");
        Assert.True(code == 0,
            $"{Python} cannot import {module}: install the Debian package {debianPackage} (apt-get install -y {debianPackage}, " +
            $"or scripts/install-prereqs.sh).\n{stdout}{stderr}");
    }

    [Fact]
    public async Task Python_calls_pods_by_name_and_gets_results_NotFound_InvalidArgument_and_the_remote_exception()
    {
        await RequirePythonModule("grpc", "python3-grpcio");
        await RequirePythonModule("msgpack", "python3-msgpack");
        await using var host = await ArcWorkerHost.StartPodsAsync(
            new PodRegistrationHandler([TestPods.ScaleAsyncPod, TestPods.FailPod]), cancellationToken: TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await RunPython(host.Token, Path.Combine(Here(), "Python", "arc_pod_client.py"), $"127.0.0.1:{host.Port}");

        Assert.True(code == 0, $"arc_pod_client.py exited with {code}:\n{stdout}{stderr}");
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("UNAUTHENTICATED", root.GetProperty("anonymous").GetString());
        Assert.Equal(["test.fail", "test.scale"], root.GetProperty("pods").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["values", "factor"], root.GetProperty("scale_parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal([4.5, -6.0, 12.0], root.GetProperty("scaled").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([3.0, -4.0, 8.0], root.GetProperty("scaled_default").EnumerateArray().Select(v => v.GetDouble()));
        var unknown = root.GetProperty("unknown");
        Assert.Equal("NOT_FOUND", unknown.GetProperty("code").GetString());
        Assert.Contains("'no.such.pod'", unknown.GetProperty("details").GetString());
        var mistyped = root.GetProperty("mistyped");
        Assert.Equal("INVALID_ARGUMENT", mistyped.GetProperty("code").GetString());
        Assert.Contains("values", mistyped.GetProperty("details").GetString());
        var thrown = root.GetProperty("thrown");
        Assert.Equal("INTERNAL", thrown.GetProperty("code").GetString());
        Assert.Equal(typeof(InvalidOperationException).FullName, thrown.GetProperty("remote_type").GetString());
        Assert.Equal("from python", thrown.GetProperty("remote_message").GetString());
    }

    [Fact]
    public async Task Python_with_only_grpc_and_msgpack_gets_the_right_classes_and_InvalidArgument_for_a_malformed_batch()
    {
        await RequirePythonModule("grpc", "python3-grpcio");
        await RequirePythonModule("msgpack", "python3-msgpack");
        var ct = TestContext.Current.CancellationToken;
        var model = new RowArgmaxModel(Rows);
        await using var host = await ArcWorkerHost.StartAsync(model, cancellationToken: ct);
        var pixels = ScriptPixels(Count * Rows * Width);
        var expected = RowArgmaxModel.Expected(pixels, Count, Rows, Width, new float[Rows]);
        Assert.True(expected.Distinct().Count() > 1, "the formula's pixels should not put every image in one class");

        var (code, stdout, stderr) = await RunPython(host.Token, Script, $"127.0.0.1:{host.Port}",
            Count.ToString(), Rows.ToString(), Width.ToString());

        Assert.True(code == 0, $"arc_client.py exited with {code}:\n{stdout}{stderr}");
        using var result = JsonDocument.Parse(stdout);
        var root = result.RootElement;
        Assert.Equal("UNAUTHENTICATED", root.GetProperty("anonymous").GetString());
        var describe = root.GetProperty("describe");
        Assert.Equal("rowargmax", describe.GetProperty("name").GetString());
        Assert.Equal(ImageData.WireTag, describe.GetProperty("x").GetString());
        Assert.Equal(ClassData.WireTag, describe.GetProperty("y").GetString());
        Assert.Equal(expected, root.GetProperty("classes").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(model.ClassNames, root.GetProperty("names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(expected.Select(k => model.ClassNames[(int)k]), root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        var refused = root.GetProperty("malformed");
        Assert.Equal("INVALID_ARGUMENT", refused.GetProperty("code").GetString());
        Assert.Contains("image.data", refused.GetProperty("details").GetString());

        // The worker shrugged the bad batch off: a .NET client still gets the same answer for the same pixels.
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);
        var answer = await client.PredictAsync(new ImageData(ArcArray.From(pixels, Count, 1, Rows, Width)), cancellationToken: ct);
        Assert.Equal(expected, answer.IndexSpan.ToArray());
    }

    [Fact]
    public void The_protocol_documents_Python_example_is_the_tested_script()
    {
        var doc = File.ReadAllText(ProtocolDoc).ReplaceLineEndings("\n");
        const string marker = "<!-- begin arc_client.py -->";
        int start = doc.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/remote-protocol.md lacks the marker {marker}");
        int open = doc.IndexOf("```python\n", start, StringComparison.Ordinal);
        Assert.True(open >= 0, "docs/remote-protocol.md has no ```python block after the marker");
        open += "```python\n".Length;
        int close = doc.IndexOf("\n```", open, StringComparison.Ordinal);
        Assert.True(close >= 0, "the ```python block in docs/remote-protocol.md is not closed");
        var script = File.ReadAllText(Script).ReplaceLineEndings("\n").TrimEnd();
        Assert.Equal(script, doc[open..close].TrimEnd());
    }
}
