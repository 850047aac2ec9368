using System.Diagnostics;
using Arc.Artifacts;
using Arc.Kubernetes;
using Arc.Sdk;
using Arc.Sdk.Tests.Support;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// Registered <c>[Job]</c>s on <c>Target.Kubernetes</c>: each runs in its own pod of the cluster (the fake's kubelet runs
/// its container as a real local process) behind the pinned TLS channel, and the caller streams from it, trains a model
/// here on it and has it evaluate that model; disposing the job deletes its objects.
/// </summary>
public sealed class KubernetesJobTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _root = TestScratch.Create();

    [Fact]
    public async Task A_registered_job_in_a_pod_streams_what_it_streams_here_trains_a_model_here_and_dispose_deletes_everything()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var local = new WorkerRampJob(count: 23, seed: 9);

        var job = await WorkerRampJob.DeployAsync(Target.Kubernetes(cluster.Options), new WorkerRampJob.Parameters(Count: 23, Seed: 9), Ct);
        int? pid;
        await using (job)
        {
            var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
            Assert.Matches("^arc-job-workerrampjob-[0-9a-f]{10}$", pod.Metadata.Name);
            Assert.Equal("job-workerrampjob", pod.Metadata.Labels["arc.dev/model"]);
            Assert.Equal(pod.Metadata.Name, Assert.Single(await cluster.ServicesAsync(Ct)).Metadata.Name);
            Assert.Equal(pod.Metadata.Name, Assert.Single(await cluster.SecretsAsync(Ct)).Metadata.Name);
            Assert.Equal(pod.Metadata.Name, Assert.Single(await cluster.NetworkPoliciesAsync(Ct)).Metadata.Name);
            var env = Assert.Single(pod.Spec.Containers).Env.ToDictionary(e => e.Name, e => e.Value);
            Assert.Equal("workerrampjob", env["ARC_WORKER_JOB"]);
            Assert.Equal(Convert.ToBase64String(WorkerRampJob.Registration.WriteParameters(job.Parameters)), env["ARC_WORKER_PARAMETERS"]);
            Assert.Equal("", env["ARC_WORKER_MODEL"]);
            Assert.Equal("", env["ARC_WORKER_PODS"]);
            Assert.False(env.ContainsKey("ARC_WORKER_HYPERPARAMETERS"));
            // The job is the remote one, over TLS, owning the deployment.
            Assert.Equal("https", Assert.IsType<RemoteJob<ImageData, ClassData>>(job.Deployed).Address.Scheme);
            Assert.Equal(23, job.Parameters.Count);
            pid = cluster.Fake?.ProcessIdOf(pod.Metadata.Name);
            if (cluster.Fake is not null) Assert.NotNull(pid);

            // The stream crosses from the pod byte for byte as the job streams it here (its parameters crossed into the pod).
            var there = new List<Batch<ImageData, ClassData>>();
            await foreach (var batch in job.StreamAsync(batchSize: 5, DataSplit.Train, shuffleSeed: 7, Ct))
                there.Add(batch);
            var here = new List<Batch<ImageData, ClassData>>();
            await foreach (var batch in local.StreamAsync(batchSize: 5, DataSplit.Train, shuffleSeed: 7, Ct))
                here.Add(batch);
            Assert.Equal([5, 5, 5, 5, 3], there.Select(b => b.Inputs.Count));
            for (int i = 0; i < here.Count; i++)
            {
                Assert.Equal(here[i].Inputs.Pixels.Bytes.ToArray(), there[i].Inputs.Pixels.Bytes.ToArray());
                Assert.Equal(here[i].Targets.IndexSpan.ToArray(), there[i].Targets.IndexSpan.ToArray());
            }

            // A model in this process trained on the pod's stream ends where a twin trained on the local stream does.
            using var fromPod = new WorkerMlp(hidden: 6);
            using var fromHere = new WorkerMlp(hidden: 6);
            byte[] initial = Weights(fromPod);
            using (var start = new MemoryStream(initial)) fromHere.LoadWeights(start);
            foreach (var batch in there) fromPod.Fit(batch.Inputs, batch.Targets);
            foreach (var batch in here) fromHere.Fit(batch.Inputs, batch.Targets);
            byte[] trained = Weights(fromPod);
            Assert.NotEqual(initial, trained);
            Assert.Equal(Weights(fromHere), trained);

            // The job in the pod evaluates that model here, as the local job does.
            var remoteReport = await job.EvaluateAsync(fromPod, DataSplit.Test, batchSize: 16, Ct);
            var localReport = await local.EvaluateAsync(fromPod, DataSplit.Test, batchSize: 16, Ct);
            Assert.Equal(23, remoteReport.Samples);
            Assert.Equal(localReport.Metrics, remoteReport.Metrics);
            Assert.Equal(localReport.Classification!.Correct, remoteReport.Classification!.Correct);
        }

        await cluster.AssertNothingLeftAsync(Ct);
        if (pid is int worker) AssertProcessGone(worker);
    }

    [Fact]
    public async Task A_job_sent_to_the_cluster_runs_in_the_pods_worker_process()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();

        await using (var job = await WhereaboutsJob.DeployAsync(Target.Kubernetes(cluster.Options), count: 2, cancellationToken: Ct))
        {
            var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
            var sample = await job.SampleAsync(1, DataSplit.Train, seed: 1, Ct);
            var (pid, hostName) = WhereaboutsJob.Parse(Assert.Single(sample.Inputs.Texts));
            // It sees the pod's name as its host name (a real cluster and the fake alike) ...
            Assert.Equal(pod.Metadata.Name, hostName);
            // ... and, on the fake, runs in the process its kubelet started for the pod's container.
            Assert.NotEqual(Environment.ProcessId, pid);
            if (cluster.Fake is { } fake) Assert.Equal(fake.ProcessIdOf(pod.Metadata.Name), pid);
        }

        await cluster.AssertNothingLeftAsync(Ct);
    }

    [Fact]
    public async Task A_saved_job_connected_by_reference_to_the_cluster_runs_in_a_pod()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var reference = await WhereaboutsJob.Registration.SaveAsync(new WhereaboutsJob.Parameters(Count: 3),
            ArtifactReference.ForLayout(Path.Combine(_root.FullName, "layout")), cancellationToken: Ct);
        var options = new SavedModelOptions { CacheDirectory = Path.Combine(_root.FullName, "cache") };

        await using (var job = await SavedJob.ConnectAsync<TextData, ClassData>(reference, Target.Kubernetes(cluster.Options), options, Ct))
        {
            var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
            Assert.Matches("^arc-job-whereaboutsjob-[0-9a-f]{10}$", pod.Metadata.Name);
            Assert.IsType<RemoteJob<TextData, ClassData>>(job);
            // The saved parameters crossed into the pod: three samples, loaded there.
            var sample = await job.SampleAsync(3, DataSplit.Test, seed: 1, Ct);
            Assert.Equal(3, sample.Inputs.Count);
            Assert.All(sample.Inputs.Texts, text => Assert.Equal(pod.Metadata.Name, WhereaboutsJob.Parse(text).HostName));
        }

        await cluster.AssertNothingLeftAsync(Ct);
    }

    [Fact]
    public async Task A_job_factory_cannot_be_deployed_to_a_pod()
    {
        var target = Target.Kubernetes(new KubernetesTargetOptions { Image = KubernetesTestCluster.Image });
        var e = await Assert.ThrowsAsync<NotSupportedException>(async () =>
            await target.DeployAsync<ImageData, ClassData>(() => new WorkerRampJob(), Ct));
        Assert.Contains("a job factory cannot run in a pod: deploy a registered job", e.Message);
        Assert.Contains("MyJob.Registration.DeployAsync(Target.Kubernetes(options), parameters)", e.Message);
    }

    [Fact]
    public void A_job_workload_selects_the_job_by_name_and_a_model_registration_is_refused_as_a_job()
    {
        var options = new KubernetesTargetOptions { Image = KubernetesTestCluster.Image };
        byte[] wire = WorkerRampJob.Registration.WriteParameters(new WorkerRampJob.Parameters(Count: 3, Seed: 2));

        var workload = KubernetesWorkloads.ForJob(WorkerRampJob.Registration, wire, options, "0123456789");

        Assert.Equal("job-workerrampjob", workload.Name);
        Assert.Equal("arc-job-workerrampjob-0123456789", KubernetesManifests.ObjectName(workload));
        Assert.Equal("Arc.Sdk.Tests.dll", workload.AssemblyFileName);
        Assert.Equal(2, workload.Variables.Count);
        Assert.Equal("workerrampjob", workload.Variables["ARC_WORKER_JOB"]);
        Assert.Equal(Convert.ToBase64String(wire), workload.Variables["ARC_WORKER_PARAMETERS"]);
        // A model's registration would make the worker look for a job of the model's name: refused here instead.
        var model = Assert.IsAssignableFrom<ClassRegistration>(ArcRegistry.FindModel("workermlp"));
        var e = Assert.Throws<ArgumentException>(() => KubernetesWorkloads.ForJob(model, [], options));
        Assert.Contains("model 'workermlp'", e.Message);
        Assert.Contains("is not a job", e.Message);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private static byte[] Weights(WorkerMlp model)
    {
        using var stream = new MemoryStream();
        model.SaveWeights(stream);
        return stream.ToArray();
    }

    private static void AssertProcessGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            Assert.True(process.HasExited, $"the pod's worker process {pid} is still running");
        }
        catch (ArgumentException)
        {
            // No such process: gone.
        }
    }
}
