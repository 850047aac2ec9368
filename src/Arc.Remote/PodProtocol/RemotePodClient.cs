using Grpc.Core;

namespace Arc.Remote;

/// <summary>
/// Calls <c>arc.Pod</c> on a worker with arguments and results in their wire form (the SDK's <c>PodWorker</c> adds
/// the typed layer). A pod's exception surfaces as <see cref="ArcRemoteException"/> (its argument errors as the same
/// <see cref="ArgumentException"/>), an unreachable worker as <see cref="ArcWorkerUnavailableException"/>, malformed
/// arguments as <see cref="ArgumentException"/>, an unknown pod as <see cref="ArcRemoteCallException"/> with
/// <see cref="StatusCode.NotFound"/> (docs/errors.md).
/// </summary>
public sealed class RemotePodClient
{
    private readonly ArcChannel _channel;

    /// <summary>A client over <paramref name="channel"/> (the client owns nothing; dispose the channel).</summary>
    public RemotePodClient(ArcChannel channel) => _channel = channel ?? throw new ArgumentNullException(nameof(channel));

    /// <summary>The worker's address.</summary>
    public Uri Address => _channel.Address;

    /// <summary>Runs the pod named <paramref name="pod"/> on the worker with the argument map <paramref name="arguments"/> (MessagePack bytes).</summary>
    /// <returns>The result's MessagePack bytes (nil for a pod that returns nothing).</returns>
    public async Task<ReadOnlyMemory<byte>> InvokeAsync(string pod, ReadOnlyMemory<byte> arguments, DateTime? deadline = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var reply = await CallAsync(ArcPodMethods.Invoke, new PodInvokeRequest(pod, arguments), deadline, cancellationToken).ConfigureAwait(false);
        return reply.Result;
    }

    /// <summary>The pods the worker serves.</summary>
    public Task<PodCatalog> DescribeAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
        => CallAsync(ArcPodMethods.Describe, EmptyMessage.Instance, deadline, cancellationToken);

    private Task<TResponse> CallAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request,
        DateTime? deadline, CancellationToken cancellationToken)
        where TRequest : class where TResponse : class
        => RemoteCallErrors.UnaryAsync(_channel, method, request, deadline, cancellationToken);
}
