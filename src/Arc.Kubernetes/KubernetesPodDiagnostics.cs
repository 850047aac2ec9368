using System.Text;
using k8s;
using k8s.Models;

namespace Arc.Kubernetes;

/// <summary>
/// Says in one line why a pod is not ready: its phase, conditions, container state, recent events and (for a stopped
/// container) its last log lines — what <c>kubectl describe pod</c> and <c>kubectl logs</c> would show.
/// </summary>
internal static class KubernetesPodDiagnostics
{
    private const int EventCount = 10;
    private const int LogLines = 20;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Reads the pod once more (the caller's token may be spent) and describes it; falls back to <paramref name="lastSeen"/>.</summary>
    public static async Task<string> DescribeLatestAsync(IKubernetes client, string @namespace, string name, V1Pod? lastSeen)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        V1Pod? pod = lastSeen;
        try
        {
            pod = await client.CoreV1.ReadNamespacedPodAsync(name, @namespace, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            if (pod is null) return $"its state could not be read ({e.Message})";
        }
        return await DescribeAsync(client, pod!, withLogs: false).ConfigureAwait(false);
    }

    public static async Task<string> DescribeAsync(IKubernetes client, V1Pod pod, bool withLogs)
    {
        var text = new StringBuilder();
        var status = pod.Status;
        text.Append("phase ").Append(status?.Phase ?? "unknown");
        if (status?.Conditions is { Count: > 0 } conditions)
            text.Append("; conditions: ").AppendJoin(", ", conditions.Select(c =>
                $"{c.Type}={c.Status}" + (c.Reason is null ? "" : $" ({c.Reason}{(c.Message is null ? "" : ": " + c.Message)})")));
        foreach (var container in status?.ContainerStatuses ?? [])
            text.Append("; container ").Append(container.Name).Append(": ").Append(Describe(container.State));

        string ns = pod.Metadata.NamespaceProperty;
        string name = pod.Metadata.Name;
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            var events = await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={name}", cancellationToken: timeout.Token).ConfigureAwait(false);
            var recent = events.Items.OrderBy(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp).TakeLast(EventCount).ToList();
            text.Append("; events: ").Append(recent.Count == 0 ? "none" : string.Join(" | ", recent.Select(e => $"{e.Type} {e.Reason}: {e.Message}")));
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            text.Append("; events could not be read (").Append(e.Message).Append(')');
        }

        if (withLogs)
        {
            try
            {
                using var log = await client.CoreV1.ReadNamespacedPodLogAsync(name, ns, container: KubernetesManifests.ContainerName,
                    tailLines: LogLines, cancellationToken: timeout.Token).ConfigureAwait(false);
                using var reader = new StreamReader(log);
                string lines = (await reader.ReadToEndAsync(timeout.Token).ConfigureAwait(false)).TrimEnd();
                text.Append("; last log lines: ").Append(lines.Length == 0 ? "(empty)" : lines);
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException or IOException)
            {
                text.Append("; logs could not be read (").Append(e.Message).Append(')');
            }
        }
        return text.ToString();
    }

    private static string Describe(V1ContainerState? state)
        => state switch
        {
            { Running: not null } => "running",
            { Waiting: { } waiting } => $"waiting ({waiting.Reason}{(waiting.Message is null ? "" : ": " + waiting.Message)})",
            { Terminated: { } done } => $"terminated with exit code {done.ExitCode} ({done.Reason}{(done.Message is null ? "" : ": " + done.Message)})",
            _ => "not started",
        };
}
