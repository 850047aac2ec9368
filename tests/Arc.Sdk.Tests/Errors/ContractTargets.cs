using System.Collections.Concurrent;
using Arc.Remote;
using Arc.Sdk.Tests.Remote.Kubernetes;
using Arc.Sdk.Tests.Support;
using Arc.Types;

namespace Arc.Sdk.Tests.Errors;

/// <summary>
/// The targets the error contract is checked on, by name (xunit shows the name in each case), and one deployed
/// <see cref="ContractModel"/> per target shared by the checks that leave it serving. Checks that dispose or kill
/// their model deploy their own (<see cref="DeployFreshAsync"/>). The Kubernetes target is the fake cluster the
/// Kubernetes tests use (a real one with <c>ARC_TEST_KUBECONFIG</c>), started once for the class.
/// </summary>
public sealed class ContractTargets : IAsyncLifetime
{
    public const string InProcess = "in-process";
    public const string Loopback = "loopback";
    public const string LocalProcess = "local-process";
    public const string Develop = "develop";
    public const string Kubernetes = "kubernetes";

    private readonly ConcurrentDictionary<string, Lazy<Task<ContractModel.Client>>> _shared = new();
    private readonly ConcurrentBag<ContractModel.Client> _owned = [];
    private readonly SemaphoreSlim _clusterGate = new(1, 1);
    private KubernetesTestCluster? _cluster;

    /// <summary>Every target.</summary>
    public static TheoryData<string> All => [InProcess, Loopback, LocalProcess, Develop, Kubernetes];

    /// <summary>The targets a call crosses gRPC to.</summary>
    public static TheoryData<string> Remote => [Loopback, LocalProcess, Develop, Kubernetes];

    /// <summary>The worker's log lines (local process and develop mode), for failure messages.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>The model deployed on <paramref name="target"/> for checks that leave it serving.</summary>
    public Task<ContractModel.Client> SharedAsync(string target)
        => _shared.GetOrAdd(target, t => new Lazy<Task<ContractModel.Client>>(async () =>
        {
            var client = await DeployFreshAsync(t);
            _owned.Add(client);
            return client;
        })).Value;

    /// <summary>A model of its own on <paramref name="target"/>, for a check that disposes or kills it (the caller disposes it).</summary>
    public async Task<ContractModel.Client> DeployFreshAsync(string target)
    {
        var ct = TestContext.Current.CancellationToken;
        return target switch
        {
            InProcess => await ContractModel.DeployAsync(Target.InProcess, cancellationToken: ct),
            Loopback => await ContractModel.DeployAsync(Target.LoopbackWorker, cancellationToken: ct),
            LocalProcess => await ContractModel.DeployAsync(Target.LocalProcessWith(Options), cancellationToken: ct),
            Develop => await ContractModel.DevelopAsync(Target.LocalProcessWith(Options), cancellationToken: ct),
            // The fake's pods share this machine's network: each needs a port of its own.
            Kubernetes => await ContractModel.DeployAsync(Target.Kubernetes((await ClusterAsync()).Options with { Port = TestPorts.Free() }), cancellationToken: ct),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "not a target of the error contract"),
        };
    }

    /// <summary>The cluster of the Kubernetes target, once started.</summary>
    internal async Task<KubernetesTestCluster> ClusterAsync()
    {
        await _clusterGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _cluster ??= await KubernetesTestCluster.StartAsync();
        }
        finally
        {
            _clusterGate.Release();
        }
    }

    /// <summary>
    /// The protocol client of <paramref name="client"/>'s worker (for calls with a gRPC deadline), over a channel of its
    /// own that the caller disposes.
    /// </summary>
    public static (RemoteModelClient<TableData, ClassData> Client, IDisposable Channel) ProtocolClient(ContractModel.Client client)
    {
        var (address, options) = client.Deployed switch
        {
            RemoteModel<TableData, ClassData> remote => (remote.Address, (ArcChannelOptions?)null),
            LocalProcessModel<TableData, ClassData> local => (local.Address, local.ClientOptions),
            DevelopModel<TableData, ClassData> develop => (develop.Address, develop.ClientOptions),
            var other => throw new InvalidOperationException($"{other} has no worker"),
        };
        if (options is null)
            return (((RemoteModel<TableData, ClassData>)client.Deployed).Client, new NoChannel());
        var channel = new ArcChannel(address, options);
        return (new RemoteModelClient<TableData, ClassData>(channel), channel);
    }

    private LocalProcessOptions Options => new() { Log = Log.Enqueue };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _owned) await client.DisposeAsync();
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    private sealed class NoChannel : IDisposable
    {
        public void Dispose() { }
    }
}
