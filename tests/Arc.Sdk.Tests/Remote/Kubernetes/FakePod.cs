using System.Diagnostics;
using k8s;
using k8s.Models;
using Arc.Sdk;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// A pod in the <see cref="FakeKubernetesApiServer"/> and, once "pulled", its container as a real local process (the
/// fake kubelet): started with the container's command and environment, Ready on the worker's READY line, Failed when it
/// exits, killed when the pod is deleted. Its output lines are the pod's log.
/// </summary>
internal sealed class FakePod(V1Pod pod)
{
    private const string ReadyPrefix = "ARC-WORKER-READY port=";
    private readonly List<string> _log = [];
    private Process? _process;

    public V1Pod Pod { get; } = pod;

    public int? ProcessId { get; private set; }

    /// <summary>Changes the pod under its lock (API reads serialize under the same lock).</summary>
    public void Update(Action<V1Pod> change)
    {
        lock (this) change(Pod);
    }

    public string ToJson()
    {
        lock (this) return KubernetesJson.Serialize(Pod);
    }

    public List<string> LogLines()
    {
        lock (_log) return [.. _log];
    }

    public void Start(FakeImage image, V1Container container, IReadOnlyList<FakeMount> mounts, FakeKubernetesApiServer server)
    {
        var command = container.Command.Select(part => Map(part, image, mounts)).ToList();
        var start = new ProcessStartInfo(command[0] == "dotnet" ? WorkerProcess.DotnetHost() : command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1).Concat(container.Args ?? []))
            start.ArgumentList.Add(argument);
        // A container does not inherit the kubelet's environment; keep only what the dotnet host needs to run.
        foreach (string inherited in start.Environment.Keys.ToList())
            if (inherited is not ("PATH" or "HOME" or "DOTNET_ROOT" or "LD_LIBRARY_PATH"))
                start.Environment.Remove(inherited);
        // A container's /tmp is whatever is mounted there; for a local process that is TMPDIR.
        if (mounts.FirstOrDefault(m => m.ContainerPath == "/tmp") is { } tmp)
            start.Environment["TMPDIR"] = tmp.LocalPath;
        // A container's host name is its pod's name, and container runtimes put it in HOSTNAME.
        start.Environment["HOSTNAME"] = Pod.Metadata.Name;
        foreach (var variable in container.Env ?? [])
            start.Environment[variable.Name] = Map(variable.Value, image, mounts);
        // Fake pods share this machine's network: listen on loopback only (see FakeKubernetesApiServer).
        start.Environment["ARC_WORKER_BIND"] = "127.0.0.1";

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        _process = process;
        ProcessId = process.Id;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log(e.Data); };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            Log(e.Data);
            if (e.Data.StartsWith(ReadyPrefix, StringComparison.Ordinal)) server.OnReady(this);
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _ = WatchExitAsync(process, server);
    }

    private async Task WatchExitAsync(Process process, FakeKubernetesApiServer server)
    {
        await process.WaitForExitAsync();
        server.OnExited(this, process.ExitCode);
    }

    private void Log(string line)
    {
        lock (_log) _log.Add(line);
    }

    /// <summary>Kills the container's process (whole tree) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    // A path in the container to the local file that stands for it: under a volume mount first (a mount hides what the
    // image has there), else under the image's folder; anything else is left as it is.
    private static string Map(string value, FakeImage image, IReadOnlyList<FakeMount> mounts)
    {
        foreach (var mount in mounts.OrderByDescending(m => m.ContainerPath.Length))
        {
            string root = mount.ContainerPath.TrimEnd('/');
            if (value == root) return mount.LocalPath;
            if (value.StartsWith(root + "/", StringComparison.Ordinal)) return Path.Combine(mount.LocalPath, value[(root.Length + 1)..]);
        }
        string prefix = image.ContainerDirectory.TrimEnd('/') + "/";
        return value.StartsWith(prefix, StringComparison.Ordinal)
            ? Path.Combine(image.LocalDirectory, value[prefix.Length..])
            : value;
    }
}

/// <summary>A volume mounted in a fake pod's container: the path the container sees, and the local folder behind it.</summary>
internal sealed record FakeMount(string ContainerPath, string LocalPath);
