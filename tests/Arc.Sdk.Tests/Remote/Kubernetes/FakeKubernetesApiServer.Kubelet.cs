using k8s.Models;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

// The FAKE scheduler and kubelet of the fake API server: how a created pod's status moves (see FakePod for the process).
public sealed partial class FakeKubernetesApiServer
{
    // The fake scheduler and kubelet: GPUs must fit the node, the image must be one we have, then the container runs.
    private void Schedule(V1Pod pod)
    {
        var container = pod.Spec.Containers.Single();
        int gpus = container.Resources?.Limits is { } limits && limits.TryGetValue("nvidia.com/gpu", out var q) ? (int)q.ToDecimal() : 0;
        if (gpus > GpuCapacity)
        {
            string message = $"0/1 nodes are available: 1 Insufficient nvidia.com/gpu.";
            pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = message }];
            AddEvent(pod, "Warning", "FailedScheduling", message);
            return;
        }
        pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }, NotReady()];
        AddEvent(pod, "Normal", "Scheduled", $"Successfully assigned {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} to fake-node");
        var image = _images.FirstOrDefault(i => i.Reference == container.Image);
        if (image is null)
        {
            pod.Status.ContainerStatuses = [Status(container, new V1ContainerState { Waiting = new V1ContainerStateWaiting
            {
                Reason = "ImagePullBackOff", Message = $"Back-off pulling image \"{container.Image}\"",
            } })];
            AddEvent(pod, "Warning", "Failed", $"Failed to pull image \"{container.Image}\": not found (the fake has no such image)");
            return;
        }
        var fakePod = _pods[Key(pod.Metadata.NamespaceProperty, pod.Metadata.Name)];
        var mounts = new List<FakeMount>();
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            string local = VolumeDirectory(pod.Metadata.NamespaceProperty, pod.Metadata.Name, volume.Name);
            if (volume.Secret is { } source)
            {
                if (!_secrets.TryGetValue(Key(pod.Metadata.NamespaceProperty, source.SecretName), out var secret))
                {
                    pod.Status.ContainerStatuses = [Status(container, new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } })];
                    AddEvent(pod, "Warning", "FailedMount", $"MountVolume.SetUp failed for volume \"{volume.Name}\" : secret \"{source.SecretName}\" not found");
                    return;
                }
                WriteSecretVolume(local, secret, source.DefaultMode ?? 0b110_100_100, pod.Spec.SecurityContext?.FsGroup is not null);
            }
            else if (volume.EmptyDir is not null)
                Directory.CreateDirectory(local);
            else
                throw new NotSupportedException($"the fake kubelet mounts secret and emptyDir volumes only, not volume '{volume.Name}'");
            foreach (var mount in container.VolumeMounts?.Where(m => m.Name == volume.Name) ?? [])
                mounts.Add(new FakeMount(mount.MountPath, local));
        }
        fakePod.Start(image, container, mounts, this);
        pod.Status.Phase = "Running";
        pod.Status.ContainerStatuses = [Status(container, new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } })];
        AddEvent(pod, "Normal", "Started", $"Started container {container.Name} (process {fakePod.ProcessId})");
    }

    internal void OnReady(FakePod fake) => fake.Update(pod =>
    {
        pod.Status.PodIP = "127.0.0.1";
        pod.Status.PodIPs = [new V1PodIP { Ip = "127.0.0.1" }];
        pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }, new V1PodCondition { Type = "Ready", Status = "True" }];
        pod.Status.ContainerStatuses![0].Ready = true;
    });

    internal void OnExited(FakePod fake, int exitCode) => fake.Update(pod =>
    {
        pod.Status.Phase = exitCode == 0 ? "Succeeded" : "Failed";
        pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }, NotReady()];
        var status = pod.Status.ContainerStatuses![0];
        status.Ready = false;
        status.State = new V1ContainerState { Terminated = new V1ContainerStateTerminated
        {
            ExitCode = exitCode, Reason = exitCode == 0 ? "Completed" : "Error", FinishedAt = DateTime.UtcNow,
        } };
        AddEvent(pod, exitCode == 0 ? "Normal" : "Warning", "Exited", $"container {status.Name} exited with code {exitCode}");
    });

    /// <summary>
    /// Writes <paramref name="secret"/> into <paramref name="directory"/> as the kubelet's atomic writer does: the files
    /// in a timestamped folder, <c>..data</c> linking to it, and each key a link through <c>..data</c> (so an update swaps
    /// one link). A read-only volume under an fsGroup gets group read (the kubelet also gives it that group; the fake
    /// does not chown).
    /// </summary>
    internal static void WriteSecretVolume(string directory, V1Secret secret, int defaultMode, bool fsGroup)
    {
        var mode = (UnixFileMode)defaultMode;
        if (fsGroup) mode |= UnixFileMode.UserRead | UnixFileMode.GroupRead;
        string timestamped = $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss.fffffff}";
        Directory.CreateDirectory(Path.Combine(directory, timestamped));
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            string file = Path.Combine(directory, timestamped, key);
            File.WriteAllBytes(file, value);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, mode);
            File.CreateSymbolicLink(Path.Combine(directory, key), Path.Combine("..data", key));
        }
        Directory.CreateSymbolicLink(Path.Combine(directory, "..data"), timestamped);
    }

    private static V1PodCondition NotReady()
        => new() { Type = "Ready", Status = "False", Reason = "ContainersNotReady", Message = "containers with unready status: [worker]" };

    private static V1ContainerStatus Status(V1Container container, V1ContainerState state)
        => new() { Name = container.Name, Image = container.Image, ImageID = "", Ready = false, RestartCount = 0, State = state };
}
