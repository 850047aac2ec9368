using System.Collections.Concurrent;
using System.Net;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Arc.Sdk;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// A FAKE Kubernetes API server, for tests only: it stands in for a real cluster because no Kubernetes API server can
/// run on the machines these tests run on. It is a real Kestrel server on 127.0.0.1 (plain HTTP, or HTTPS with a
/// certificate the test gives it, as a pod sees its API server) that speaks the small
/// subset of the Kubernetes REST API that <c>Target.Kubernetes</c> uses — create/read/list/delete of pods, services,
/// secrets and network policies in a namespace, pod events and pod logs — with the Kubernetes JSON forms (KubernetesClient's own serializer), and writes a
/// kubeconfig file pointing at itself, so the production code runs unchanged through KubernetesClient.
/// </summary>
/// <remarks>
/// It also acts as a tiny FAKE kubelet, so that connecting to a pod is real: a created pod's container is started here
/// as a real process (its command, e.g. <c>dotnet /app/Arc.Worker.dll</c>, with the pod spec's environment), with the
/// image's folder mapped to a local folder (<see cref="FakeImage"/>). What it does not do, and a real cluster does:
/// <list type="bullet">
/// <item>Pods share this machine's network: the pod IP is 127.0.0.1, the worker's <c>ARC_WORKER_PORT</c> is honoured
/// as is (tests pick a free port), and <c>ARC_WORKER_BIND</c> is forced to 127.0.0.1 so nothing listens on the network.
/// The host name is this machine's; only <c>HOSTNAME</c> is set to the pod's name, as container runtimes set it.</item>
/// <item>Readiness: the pod is Ready when the worker prints its READY line, not by running the tcpSocket probe.</item>
/// <item>Volumes: a Secret volume is written as files under a folder per pod, laid out as the kubelet does (the files
/// in a timestamped folder, <c>..data</c> linking to it, each key a link through <c>..data</c>; modes from
/// <c>defaultMode</c>, plus group read when the pod has an <c>fsGroup</c>), an emptyDir is an empty folder, and paths
/// under a mount in the command and environment are mapped to them (an emptyDir at <c>/tmp</c> also becomes the
/// process's <c>TMPDIR</c>). A pod whose Secret does not exist stays in <c>ContainerCreating</c> with a FailedMount
/// event (the kubelet would retry; the fake does not). The process runs as this test's user: <c>runAsUser</c>,
/// <c>fsGroup</c> ownership, read-only root file systems, capabilities and seccomp are not applied.</item>
/// <item>NetworkPolicies are stored, not enforced; Secrets are stored as sent (no encryption at rest).</item>
/// <item>Scheduling checks only <c>nvidia.com/gpu</c> against <see cref="GpuCapacity"/>; images not in the list cannot be
/// "pulled" (the pod waits in <c>ImagePullBackOff</c>, as with a wrong image reference).</item>
/// <item>No admission, validation, watch, resource versions or garbage collection; Services are stored, not routed.</item>
/// </list>
/// </remarks>
public sealed partial class FakeKubernetesApiServer : IAsyncDisposable
{
    /// <summary>The bearer token in the kubeconfig it writes; requests without it get 401.</summary>
    public const string Token = "fake-token-for-tests";

    private readonly WebApplication _app;
    private readonly string _directory;
    private readonly IReadOnlyList<FakeImage> _images;
    private readonly ConcurrentDictionary<string, FakePod> _pods = new();
    private readonly ConcurrentDictionary<string, V1Service> _services = new();
    private readonly ConcurrentDictionary<string, V1Secret> _secrets = new();
    private readonly ConcurrentDictionary<string, V1NetworkPolicy> _networkPolicies = new();
    private readonly ConcurrentDictionary<string, string> _refusedCreates = new();
    private readonly ConcurrentQueue<Corev1Event> _events = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    private FakeKubernetesApiServer(WebApplication app, string directory, IReadOnlyList<FakeImage> images, int gpuCapacity)
    {
        _app = app;
        _directory = directory;
        _images = images;
        GpuCapacity = gpuCapacity;
    }

    /// <summary>The kubeconfig file for this server (context <c>fake</c>, namespace <c>arc-tests</c>).</summary>
    public string KubeconfigPath => Path.Combine(_directory, "kubeconfig");

    /// <summary>The namespaces that exist: <c>arc-tests</c> (the kubeconfig's context) and <c>default</c>.</summary>
    public static IReadOnlyList<string> Namespaces { get; } = ["arc-tests", "default"];

    /// <summary>How many <c>nvidia.com/gpu</c> the one fake node has; pods asking for more stay unschedulable.</summary>
    public int GpuCapacity { get; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<FakeRequest> Requests => _requests.ToList();

    /// <summary>The pods that exist now, as the server stores them (with status).</summary>
    public IReadOnlyList<V1Pod> Pods => _pods.Values.Select(p => KubernetesJson.Deserialize<V1Pod>(p.ToJson())).ToList();

    /// <summary>The services that exist now.</summary>
    public IReadOnlyList<V1Service> Services => _services.Values.ToList();

    /// <summary>The secrets that exist now, with their data.</summary>
    public IReadOnlyList<V1Secret> Secrets => _secrets.Values.ToList();

    /// <summary>The network policies that exist now.</summary>
    public IReadOnlyList<V1NetworkPolicy> NetworkPolicies => _networkPolicies.Values.ToList();

    /// <summary>
    /// From now on, answers every create of <paramref name="resource"/> (e.g. <c>pods</c>) with 403 Forbidden, as the API
    /// server does when RBAC denies it: to fail a deployment half-way.
    /// </summary>
    public void RefuseCreating(string resource) => _refusedCreates[resource] = resource;

    /// <summary>The folder a pod's volume is materialised in by the fake kubelet, while the pod exists.</summary>
    internal string VolumeDirectory(string ns, string podName, string volume) => Path.Combine(_directory, "pods", ns, podName, volume);

    /// <summary>The process id of a pod's container, while the pod exists and its container was started.</summary>
    public int? ProcessIdOf(string podName) => _pods.Values.FirstOrDefault(p => p.Pod.Metadata.Name == podName)?.ProcessId;

    /// <summary>The address it serves, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address => new(_app.Urls.First());

    /// <summary>
    /// Starts the server on a free port of 127.0.0.1 and writes its kubeconfig. With <paramref name="tls"/> (a certificate
    /// with its key, naming 127.0.0.1) it serves HTTPS only, and the kubeconfig names that certificate as the cluster's CA.
    /// </summary>
    public static async Task<FakeKubernetesApiServer> StartAsync(IReadOnlyList<FakeImage> images, int gpuCapacity = 0,
        System.Security.Cryptography.X509Certificates.X509Certificate2? tls = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = HttpProtocols.Http1;
            if (tls is not null) l.UseHttps(tls);
        }));
        var app = builder.Build();
        string directory = TestScratch.Create().FullName;
        var server = new FakeKubernetesApiServer(app, directory, images, gpuCapacity);
        server.MapRoutes();
        await app.StartAsync();
        string address = app.Urls.First();
        string authority = tls is null ? "" : $"\n    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(tls.ExportCertificatePem()))}";
        await File.WriteAllTextAsync(server.KubeconfigPath, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {address}{authority}
            users:
            - name: fake
              user:
                token: {Token}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: arc-tests
            current-context: fake
            """);
        return server;
    }

    private void MapRoutes()
    {
        _app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            string body = await new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync();
            context.Request.Body.Position = 0;
            _requests.Enqueue(new FakeRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, body));
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
            {
                await WriteStatus(context, HttpStatusCode.Unauthorized, "Unauthorized", "the fake API server wants its bearer token");
                return;
            }
            if ((context.Request.Path.StartsWithSegments("/api/v1/namespaces", out var rest)
                 || context.Request.Path.StartsWithSegments("/apis/networking.k8s.io/v1/namespaces", out rest))
                && rest.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries) is [var ns, var resource, ..])
            {
                if (!Namespaces.Contains(ns))
                {
                    await WriteStatus(context, HttpStatusCode.NotFound, "NotFound", $"namespaces \"{ns}\" not found");
                    return;
                }
                if (context.Request.Method == "POST" && _refusedCreates.ContainsKey(resource))
                {
                    await WriteStatus(context, HttpStatusCode.Forbidden, "Forbidden",
                        $"{resource} is forbidden: User \"fake\" cannot create resource \"{resource}\" in the namespace \"{ns}\"");
                    return;
                }
            }
            await next(context);
        });

        const string Namespaced = "/api/v1/namespaces/{ns}";
        _app.MapPost(Namespaced + "/pods", CreatePodAsync);
        _app.MapGet(Namespaced + "/pods/{name}", (HttpContext c, string ns, string name) => Get(c, _pods.TryGetValue(Key(ns, name), out var p) ? p : null, "pods", name));
        _app.MapGet(Namespaced + "/pods/{name}/log", ReadLogAsync);
        _app.MapDelete(Namespaced + "/pods/{name}", DeletePodAsync);
        _app.MapGet(Namespaced + "/pods", (HttpContext c, string ns) => WriteJson(c, HttpStatusCode.OK, new V1PodList
        {
            ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta(),
            Items = _pods.Values.Select(p => KubernetesJson.Deserialize<V1Pod>(p.ToJson())).Where(p => Selected(c, ns, p.Metadata)).ToList(),
        }));
        MapStored(Namespaced + "/services", "services", _services, items => new V1ServiceList { ApiVersion = "v1", Kind = "ServiceList", Metadata = new(), Items = items },
            service => service.Spec.ClusterIP = $"10.96.0.{_services.Count + 10}");
        MapStored(Namespaced + "/secrets", "secrets", _secrets, items => new V1SecretList { ApiVersion = "v1", Kind = "SecretList", Metadata = new(), Items = items });
        MapStored("/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies", "networkpolicies", _networkPolicies,
            items => new V1NetworkPolicyList { ApiVersion = "networking.k8s.io/v1", Kind = "NetworkPolicyList", Metadata = new(), Items = items });
        _app.MapGet(Namespaced + "/events", ListEventsAsync);
    }

    // Objects the fake only stores: create (409 if the name is taken), read, list by label and delete.
    private void MapStored<T>(string collection, string resource, ConcurrentDictionary<string, T> store, Func<IList<T>, object> list, Action<T>? created = null)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        _app.MapPost(collection, async (HttpContext context, string ns) =>
        {
            var item = KubernetesJson.Deserialize<T>(await ReadBodyAsync(context));
            item.Metadata.NamespaceProperty = ns;
            item.Metadata.Uid = Guid.NewGuid().ToString();
            item.Metadata.CreationTimestamp = DateTime.UtcNow;
            created?.Invoke(item);
            if (!store.TryAdd(Key(ns, item.Metadata.Name), item))
            {
                await WriteStatus(context, HttpStatusCode.Conflict, "AlreadyExists", $"{resource} \"{item.Metadata.Name}\" already exists");
                return;
            }
            await WriteJson(context, HttpStatusCode.Created, item);
        });
        _app.MapGet(collection, (HttpContext context, string ns)
            => WriteJson(context, HttpStatusCode.OK, list(store.Values.Where(item => Selected(context, ns, item.Metadata)).ToList())));
        _app.MapGet(collection + "/{name}", (HttpContext context, string ns, string name) => Get(context, store.GetValueOrDefault(Key(ns, name)), resource, name));
        _app.MapDelete(collection + "/{name}", async (HttpContext context, string ns, string name) =>
        {
            if (!store.TryRemove(Key(ns, name), out var item))
            {
                await WriteStatus(context, HttpStatusCode.NotFound, "NotFound", $"{resource} \"{name}\" not found");
                return;
            }
            await WriteJson(context, HttpStatusCode.OK, item);
        });
    }

    private async Task CreatePodAsync(HttpContext context, string ns)
    {
        var pod = KubernetesJson.Deserialize<V1Pod>(await ReadBodyAsync(context));
        string name = pod.Metadata.Name;
        pod.Metadata.NamespaceProperty = ns;
        pod.Metadata.Uid = Guid.NewGuid().ToString();
        pod.Metadata.CreationTimestamp = DateTime.UtcNow;
        pod.Status = new V1PodStatus { Phase = "Pending", Conditions = [] };
        var fake = new FakePod(pod);
        if (!_pods.TryAdd(Key(ns, name), fake))
        {
            await WriteStatus(context, HttpStatusCode.Conflict, "AlreadyExists", $"pods \"{name}\" already exists");
            return;
        }
        fake.Update(p => Schedule(p));
        await WriteJson(context, HttpStatusCode.Created, fake);
    }

    private async Task ReadLogAsync(HttpContext context, string ns, string name)
    {
        if (!_pods.TryGetValue(Key(ns, name), out var fake))
        {
            await WriteStatus(context, HttpStatusCode.NotFound, "NotFound", $"pods \"{name}\" not found");
            return;
        }
        int tail = int.TryParse(context.Request.Query["tailLines"], out int n) ? n : int.MaxValue;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(string.Concat(fake.LogLines().TakeLast(tail).Select(l => l + "\n")));
    }

    private async Task DeletePodAsync(HttpContext context, string ns, string name)
    {
        if (!_pods.TryRemove(Key(ns, name), out var fake))
        {
            await WriteStatus(context, HttpStatusCode.NotFound, "NotFound", $"pods \"{name}\" not found");
            return;
        }
        await fake.StopAsync();
        // The kubelet tears down the pod's volumes with it: the Secret's files go too.
        DeleteFolder(Path.Combine(_directory, "pods", ns, name));
        await WriteJson(context, HttpStatusCode.OK, fake);
    }

    private async Task ListEventsAsync(HttpContext context, string ns)
    {
        string selector = context.Request.Query["fieldSelector"].ToString();
        const string Prefix = "involvedObject.name=";
        string? name = selector.StartsWith(Prefix, StringComparison.Ordinal) ? selector[Prefix.Length..] : null;
        var items = _events.Where(e => e.Metadata.NamespaceProperty == ns && (name is null || e.InvolvedObject.Name == name)).ToList();
        await WriteJson(context, HttpStatusCode.OK, new Corev1EventList { ApiVersion = "v1", Kind = "EventList", Items = items, Metadata = new V1ListMeta() });
    }

    private void AddEvent(V1Pod pod, string type, string reason, string message)
        => _events.Enqueue(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{pod.Metadata.Name}.{_events.Count}", NamespaceProperty = pod.Metadata.NamespaceProperty },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty },
            Type = type,
            Reason = reason,
            Message = message,
            LastTimestamp = DateTime.UtcNow,
        });

    private Task Get(HttpContext context, object? found, string kind, string name)
        => found is null
            ? WriteStatus(context, HttpStatusCode.NotFound, "NotFound", $"{kind} \"{name}\" not found")
            : WriteJson(context, HttpStatusCode.OK, found);

    // Equality label selectors only ("a=b,c=d"), the form the tests use.
    private static bool Selected(HttpContext context, string ns, V1ObjectMeta metadata)
    {
        if (metadata.NamespaceProperty != ns) return false;
        string selector = context.Request.Query["labelSelector"].ToString();
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = term.Split('=', 2) is [var k, var v] ? (k, v) : throw new NotSupportedException($"the fake reads only k=v selectors, not '{term}'");
            if (metadata.Labels is null || !metadata.Labels.TryGetValue(key, out var actual) || actual != value) return false;
        }
        return true;
    }

    private static string Key(string ns, string name) => ns + "/" + name;

    private static async Task<string> ReadBodyAsync(HttpContext context)
        => await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();

    private static async Task WriteJson(HttpContext context, HttpStatusCode status, object value)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(value is FakePod pod ? pod.ToJson() : KubernetesJson.Serialize(value));
    }

    // KubernetesClient reads Status objects but cannot write them (its converter's Write is not implemented), so the
    // fake writes the API server's Status JSON itself.
    private static async Task WriteStatus(HttpContext context, HttpStatusCode status, string reason, string message)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Status", ["status"] = "Failure", ["reason"] = reason, ["message"] = message, ["code"] = (int)status,
        }.ToJsonString());
    }

    /// <summary>Stops the server and kills every container process it started.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var fake in _pods.Values)
            await fake.StopAsync();
        _pods.Clear();
        await _app.StopAsync();
        await _app.DisposeAsync();
        DeleteFolder(_directory);
    }

    private static void DeleteFolder(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (DirectoryNotFoundException) { } catch (IOException) { }
    }
}

/// <summary>One request the fake received: method, path with query, and body.</summary>
public sealed record FakeRequest(string Method, string PathAndQuery, string Body);

/// <summary>
/// An image the fake kubelet can "pull": its file system is a local folder. Paths under <paramref name="ContainerDirectory"/>
/// in the container's command and environment are mapped to <paramref name="LocalDirectory"/>.
/// </summary>
public sealed record FakeImage(string Reference, string ContainerDirectory, string LocalDirectory);
