using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Arc.Sdk.Tests.Remote.Kubernetes;
using Arc.Sdk.Tests.Support;

namespace Arc.CommandLine.Tests;

/// <summary>
/// <c>train --target</c> of the MNIST sample's generated command line, run as a child process: the model trains in an
/// Arc.Worker child process (<c>local-process</c>) and in a pod of the FAKE Kubernetes API server whose fake kubelet
/// runs real workers (<c>kubernetes</c>, the test double the Kubernetes target tests use); bad targets are refused.
/// </summary>
public sealed partial class TargetOptionTests
{
    /// <summary>240 training digits: 4 steps of 64 per epoch.</summary>
    private static readonly string[] Small = ["train", "--model", "convclassifier", "--max-per-digit", "30", "--threads", "1", "--outputs", "metrics,log"];

    [Fact]
    public async Task TrainOnLocalProcessRunsTheModelInAWorkerAndEndsWithTheWeightsOfAnInProcessRun()
    {
        using var temp = new TempFolder();
        string here = temp["here"], worker = temp["worker"];
        var inProcess = await MnistProgram.RunAsync(temp.Path, [.. Small, "--epochs", "2", "--output-dir", here]);
        Assert.True(inProcess.ExitCode == 0, inProcess.Stdout + inProcess.Stderr);

        int programId;
        using (var program = MnistProgram.Start(temp.Path, [.. Small, "--epochs", "2", "--target", "local-process", "--output-dir", worker]))
        {
            programId = program.ProcessId;
            int code = await program.WaitAsync(TimeSpan.FromMinutes(4));
            Assert.True(code == 0, $"exit {code}\n{program.Stdout}\n{program.Stderr}");
        }
        string log = File.ReadAllText(Path.Combine(worker, "log.txt"));
        var match = WorkerLine().Match(log);
        Assert.True(match.Success, log);
        int workerId = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(programId, workerId);
        Assert.False(IsRunning(workerId), $"worker process {workerId} outlived the program");

        // The same seed, the same batches, one thread each: the worker's steps are the in-process run's, to the bit.
        Assert.Equal(Losses(here), Losses(worker));
        Assert.Equal(8, Losses(worker).Count);
        string last = Path.Combine("checkpoints", "step-00000008");
        Assert.Equal(File.ReadAllBytes(Path.Combine(here, last, "weights.bin")), File.ReadAllBytes(Path.Combine(worker, last, "weights.bin")));
        // The worker hands out its optimizer state (the same bytes as in process), not its random generator.
        Assert.Equal(File.ReadAllBytes(Path.Combine(here, last, "optimizer.bin")), File.ReadAllBytes(Path.Combine(worker, last, "optimizer.bin")));
        Assert.False(File.Exists(Path.Combine(worker, last, "rng.bin")));
        Assert.Contains("checkpoints keep the weights and the optimizer state of the model on the local-process target", log);

        // Stopped after step 3 of epoch 1 and resumed on a new worker: it ends with the uninterrupted run's weights.
        string parts = temp["parts"];
        var first = await MnistProgram.RunAsync(temp.Path, [.. Small, "--epochs", "1", "--checkpoint-every", "3", "--target", "local-process", "--output-dir", parts]);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        string middle = Path.Combine(parts, "checkpoints", "step-00000003");
        var exact = await MnistProgram.RunAsync(temp.Path, ["train", "--resume", middle, "--epochs", "2", "--threads", "1", "--target", "local-process", "--outputs", "metrics,log"]);
        Assert.True(exact.ExitCode == 0, exact.Stdout + exact.Stderr);
        Assert.Contains("step 3, with optimizer state", File.ReadAllText(Path.Combine(parts, "log.txt")));
        Assert.True(File.ReadAllBytes(Path.Combine(here, last, "weights.bin")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(parts, last, "weights.bin"))),
            "a run resumed on a worker must end with exactly the uninterrupted run's weights");

        // Resumed on the same target from its last checkpoint, for one more epoch.
        var resumed = await MnistProgram.RunAsync(temp.Path, ["train", "--resume", worker, "--epochs", "3", "--threads", "1", "--target", "local-process", "--outputs", "metrics,log"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("step 8, with optimizer state", File.ReadAllText(Path.Combine(worker, "log.txt")));
        Assert.Equal(12, Losses(worker).Count);
        Assert.Equal("step-00000012", File.ReadAllText(Path.Combine(worker, "checkpoints", "latest")).Trim());
    }

    [Fact]
    public async Task TrainOnKubernetesRunsTheModelInAPodAndDeletesItAfterwards()
    {
        using var temp = new TempFolder();
        // The fake kubelet runs the image's /app from the sample's own build folder, which holds Arc.Worker.
        await using var fake = await FakeKubernetesApiServer.StartAsync([new FakeImage("registry.test/mnist:1", "/app", Path.GetDirectoryName(MnistProgram.Path)!)],
            gpuCapacity: 1);
        int port = TestPorts.Free();
        string run = temp["pod"];
        var environment = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = fake.KubeconfigPath,
            ["ARC_KUBERNETES_IMAGE"] = null,
            ["ARC_KUBERNETES_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), // fake pods share this machine's network
            ["ARC_KUBERNETES_MEMORY"] = "2Gi",
        };
        string[] args = ["train", "--model", "convclassifier", "--max-per-digit", "30", "--outputs", "metrics,log", "--target", "kubernetes",
            "--kubernetes-image", "registry.test/mnist:1", "--kubernetes-namespace", "default", "--device", "cuda", "--output-dir", run];
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, environment, args);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");

        string log = File.ReadAllText(Path.Combine(run, "log.txt"));
        Assert.Contains($"model convclassifier on the kubernetes target: remote model 'convclassifier' at https://127.0.0.1:{port}/", log);
        Assert.Equal(4, Losses(run).Count);
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "step-00000004", "weights.bin")));

        // The pod asked for the model, in the namespace given, with the options and variables given; then everything went.
        var created = fake.Requests.Single(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/api/v1/namespaces/default/pods", StringComparison.Ordinal));
        using var pod = JsonDocument.Parse(created.Body);
        var container = pod.RootElement.GetProperty("spec").GetProperty("containers")[0];
        Assert.Equal("registry.test/mnist:1", container.GetProperty("image").GetString());
        var limits = container.GetProperty("resources").GetProperty("limits");
        Assert.Equal("2Gi", limits.GetProperty("memory").GetString());
        Assert.Equal("1", limits.GetProperty("nvidia.com/gpu").ToString()); // --device cuda: one GPU for the pod (the fake node has one; its worker finds none and uses the CPU)
        var variables = container.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.TryGetProperty("value", out var v) ? v.GetString() : null);
        Assert.Equal("convclassifier", variables["ARC_WORKER_MODEL"]);
        Assert.Equal("/app/Mnist.dll", variables["ARC_WORKER_ASSEMBLY"]);
        string podName = pod.RootElement.GetProperty("metadata").GetProperty("name").GetString()!;
        Assert.Contains(fake.Requests, r => r.Method == "DELETE" && r.PathAndQuery.StartsWith($"/api/v1/namespaces/default/pods/{podName}", StringComparison.Ordinal));
        Assert.Empty(fake.Pods);
        Assert.Empty(fake.Services);
        Assert.Empty(fake.Secrets);
        Assert.Empty(fake.NetworkPolicies);
    }

    [Fact]
    public async Task APodThatCannotStartEndsTheCommandWithItsReasonAndLeavesNothingInTheCluster()
    {
        using var temp = new TempFolder();
        await using var fake = await FakeKubernetesApiServer.StartAsync([]); // no image can be pulled
        var environment = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = fake.KubeconfigPath,
            ["ARC_KUBERNETES_PORT"] = TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ARC_KUBERNETES_READY_TIMEOUT"] = "5s",
        };
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, environment,
            ["train", "--model", "convclassifier", "--target", "kubernetes", "--kubernetes-image", "registry.test/missing:1", "--output-dir", temp["run"]]);
        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("--target kubernetes: model 'convclassifier' could not start there", stderr);
        Assert.Contains("ImagePullBackOff", stderr);
        Assert.Empty(fake.Pods);
        Assert.Empty(fake.Secrets);
        Assert.False(Directory.Exists(temp["run"]));

        var wrong = await MnistProgram.RunAsync(temp.Path, new Dictionary<string, string?> { ["ARC_KUBERNETES_READY_TIMEOUT"] = "soon" },
            ["train", "--model", "convclassifier", "--target", "kubernetes", "--kubernetes-image", "registry.test/missing:1", "--output-dir", temp["other"]]);
        Assert.True(wrong.ExitCode == 2, wrong.Stderr);
        Assert.Contains("ARC_KUBERNETES_READY_TIMEOUT='soon' is not a duration", wrong.Stderr);
        Assert.False(Directory.Exists(temp["other"]));
    }

    [Theory]
    [InlineData("cluster", "--target: 'cluster' is not a target; use in-process, local-process or kubernetes")]
    [InlineData("kubernetes", "--target kubernetes needs the worker image: --kubernetes-image <registry/name:tag> or ARC_KUBERNETES_IMAGE")]
    public async Task AnUnknownTargetOrAKubernetesTargetWithoutImageIsRefusedBeforeAnythingIsWritten(string target, string message)
    {
        using var temp = new TempFolder();
        string run = temp["run"];
        var environment = new Dictionary<string, string?> { ["ARC_KUBERNETES_IMAGE"] = null };
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, environment, [.. Small, "--target", target, "--output-dir", run]);
        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains(message, stderr);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public async Task AKubernetesTargetRefusesADeviceNumberAndThreadsNamingWhatToUseInstead()
    {
        using var temp = new TempFolder();
        string[] kubernetes = ["train", "--model", "convclassifier", "--target", "kubernetes", "--kubernetes-image", "registry.test/mnist:1", "--output-dir", temp["run"]];
        var device = await MnistProgram.RunAsync(temp.Path, [.. kubernetes, "--device", "cuda:1"]);
        Assert.True(device.ExitCode == 2, device.Stderr);
        Assert.Contains("--device cuda:1 with --target kubernetes: a pod sees only the GPUs it asks for", device.Stderr);
        var threads = await MnistProgram.RunAsync(temp.Path, [.. kubernetes, "--threads", "2"]);
        Assert.True(threads.ExitCode == 2, threads.Stderr);
        Assert.Contains("--threads with --target kubernetes", threads.Stderr);
        Assert.Contains("ARC_KUBERNETES_CPU", threads.Stderr);
        Assert.False(Directory.Exists(temp["run"]));
    }

    private static List<double> Losses(string run)
        => File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("kind").GetString() == "step").Select(l => l.GetProperty("loss").GetDouble()).ToList();

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"on the local-process target: model 'convclassifier' in worker process (\d+) at http://127\.0\.0\.1:\d+")]
    private static partial Regex WorkerLine();
}
