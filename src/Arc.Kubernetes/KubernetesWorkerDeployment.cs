using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Arc.Kubernetes;

/// <summary>
/// One worker running in a cluster: its Secret, NetworkPolicy, Service and Pod created (in that order: the pod mounts
/// the Secret, and must never run unprotected by its policy), waited on until the pod is Ready, and all four deleted on
/// dispose — or at once when anything fails on the way, so a failed deployment leaves nothing behind, its secrets
/// included. Owns the client.
/// </summary>
internal sealed class KubernetesWorkerDeployment : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private bool _secretCreated;
    private bool _policyCreated;
    private bool _serviceCreated;
    private bool _podCreated;
    private int _disposed;

    private KubernetesWorkerDeployment(IKubernetes client, bool ownsClient, string @namespace, string name)
    {
        _client = client;
        _ownsClient = ownsClient;
        Namespace = @namespace;
        Name = name;
    }

    /// <summary>The namespace everything lives in.</summary>
    public string Namespace { get; }

    /// <summary>The name of the pod, the service, the secret and the network policy.</summary>
    public string Name { get; }

    /// <summary>The ready pod as last read.</summary>
    public V1Pod Pod { get; private set; } = null!;

    /// <summary>Creates <paramref name="secret"/>, <paramref name="policy"/>, <paramref name="service"/> and <paramref name="pod"/>, and returns once the pod is Ready.</summary>
    /// <exception cref="TimeoutException">The pod was not ready in time; the message says what it was doing.</exception>
    /// <exception cref="KubernetesWorkerFailedException">The pod stopped before it was ready.</exception>
    public static async Task<KubernetesWorkerDeployment> StartAsync(IKubernetes client, bool ownsClient, string @namespace,
        V1Secret secret, V1NetworkPolicy policy, V1Service service, V1Pod pod, KubernetesTargetOptions options, CancellationToken cancellationToken)
    {
        var deployment = new KubernetesWorkerDeployment(client, ownsClient, @namespace, pod.Metadata.Name);
        try
        {
            // Marked before each create: a create cancelled in flight may still have reached the API server, so cleanup
            // deletes it anyway (a missing object counts as deleted).
            deployment._secretCreated = true;
            await Refused("secret", deployment.Name, @namespace,
                () => client.CoreV1.CreateNamespacedSecretAsync(secret, @namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            deployment._policyCreated = true;
            await Refused("network policy", deployment.Name, @namespace,
                () => client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(policy, @namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            deployment._serviceCreated = true;
            await Refused("service", deployment.Name, @namespace,
                () => client.CoreV1.CreateNamespacedServiceAsync(service, @namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            deployment._podCreated = true;
            await Refused("pod", deployment.Name, @namespace,
                () => client.CoreV1.CreateNamespacedPodAsync(pod, @namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            deployment.Pod = await deployment.WaitUntilReadyAsync(options, cancellationToken).ConfigureAwait(false);
            return deployment;
        }
        catch (Exception failure)
        {
            // Clean up, and if even that fails, say so without hiding why the deployment failed.
            if (await deployment.DeleteAllAsync().ConfigureAwait(false) is { } leftOver)
                throw new InvalidOperationException($"{failure.Message}; then {leftOver}", failure);
            throw;
        }
    }

    // KubernetesClient reports a refusal as "Operation returned an invalid status code"; the API server's Status body
    // says why (no such namespace, forbidden, quota exceeded), so that goes into the message.
    private static async Task Refused(string kind, string name, string @namespace, Func<Task> create)
    {
        try
        {
            await create().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            string why = e.Response.Content;
            try
            {
                if (KubernetesJson.Deserialize<V1Status>(e.Response.Content) is { Message: { Length: > 0 } message } status)
                    why = $"{status.Reason}: {message}";
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a Status object: keep the raw body.
            }
            throw new InvalidOperationException(
                $"the cluster refused to create {kind} '{name}' in namespace '{@namespace}' ({(int)e.Response.StatusCode} {e.Response.StatusCode}): {why}", e);
        }
    }

    private async Task<V1Pod> WaitUntilReadyAsync(KubernetesTargetOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ReadyTimeout);
        V1Pod? pod = null;
        try
        {
            while (true)
            {
                pod = await _client.CoreV1.ReadNamespacedPodAsync(Name, Namespace, cancellationToken: timeout.Token).ConfigureAwait(false);
                if (IsReady(pod)) return pod;
                if (pod.Status?.Phase is "Failed" or "Succeeded")
                    throw new KubernetesWorkerFailedException(Namespace, Name,
                        $"pod '{Name}' in namespace '{Namespace}' stopped before it was ready: " +
                        await KubernetesPodDiagnostics.DescribeAsync(_client, pod, withLogs: true).ConfigureAwait(false));
                await Task.Delay(options.PollInterval, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            string state = await KubernetesPodDiagnostics.DescribeLatestAsync(_client, Namespace, Name, pod).ConfigureAwait(false);
            throw new TimeoutException($"pod '{Name}' in namespace '{Namespace}' was not ready after {options.ReadyTimeout}: {state}");
        }
    }

    private static bool IsReady(V1Pod pod)
        => pod.Status?.PodIP is { Length: > 0 }
           && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>
    /// Deletes the pod, the service, the network policy and the secret (a missing one counts as deleted). Throws if the
    /// cluster refused, naming what is left and how to remove it, rather than leaving a GPU pod running unnoticed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (await DeleteAllAsync().ConfigureAwait(false) is { } leftOver)
            throw new InvalidOperationException(leftOver);
    }

    /// <summary>Deletes what was created (once); returns what could not be deleted, or null.</summary>
    private async Task<string?> DeleteAllAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return null;
        var failures = new List<string>();
        try
        {
            if (_podCreated)
                await DeleteAsync("pod", ct => _client.CoreV1.DeleteNamespacedPodAsync(Name, Namespace, cancellationToken: ct), failures).ConfigureAwait(false);
            if (_serviceCreated)
                await DeleteAsync("service", ct => _client.CoreV1.DeleteNamespacedServiceAsync(Name, Namespace, cancellationToken: ct), failures).ConfigureAwait(false);
            if (_policyCreated)
                await DeleteAsync("network policy", ct => _client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(Name, Namespace, cancellationToken: ct), failures).ConfigureAwait(false);
            // The secret last: the pod that mounts it is gone (or going) by now.
            if (_secretCreated)
                await DeleteAsync("secret", ct => _client.CoreV1.DeleteNamespacedSecretAsync(Name, Namespace, cancellationToken: ct), failures).ConfigureAwait(false);
        }
        finally
        {
            if (_ownsClient) _client.Dispose();
        }
        return failures.Count == 0 ? null
            : $"could not delete {string.Join("; ", failures)}; remove them with kubectl delete pod,svc,networkpolicy,secret -n {Namespace} {Name}";
    }

    // Cleanup must not be cut short by the caller's token (it may be the one that was cancelled), but must not hang on a
    // dead cluster either.
    private static readonly TimeSpan DeleteTimeout = TimeSpan.FromSeconds(30);

    private async Task DeleteAsync(string kind, Func<CancellationToken, Task> delete, List<string> failures)
    {
        using var timeout = new CancellationTokenSource(DeleteTimeout);
        try
        {
            await delete(timeout.Token).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            failures.Add($"{kind} '{Name}' in namespace '{Namespace}' ({e.Message})");
        }
    }
}
