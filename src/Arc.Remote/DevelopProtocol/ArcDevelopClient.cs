using Grpc.Core;

namespace Arc.Remote;

/// <summary>
/// Calls <c>arc.Develop</c> on a develop-mode worker. A reload that fails on the worker surfaces as
/// <see cref="ArcRemoteException"/> naming the worker's error; a refused request (a path outside the build folder, a
/// digest that does not match) as <see cref="ArgumentException"/> with the worker's detail; a blob past the worker's
/// quota as <see cref="ArcRemoteCallException"/> (<see cref="StatusCode.ResourceExhausted"/>). docs/errors.md.
/// </summary>
public sealed class ArcDevelopClient
{
    private readonly ArcChannel _channel;

    /// <summary>A client over <paramref name="channel"/> (the client owns nothing; dispose the channel).</summary>
    public ArcDevelopClient(ArcChannel channel) => _channel = channel ?? throw new ArgumentNullException(nameof(channel));

    /// <summary>Those of <paramref name="digests"/> the worker does not hold.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> digests, CancellationToken cancellationToken = default)
        => (await CallAsync(ArcDevelopMethods.Missing, new BlobDigests(digests), cancellationToken).ConfigureAwait(false)).Digests;

    /// <summary>Stores <paramref name="bytes"/> under <paramref name="digest"/>, which the worker checks.</summary>
    public Task PutBlobAsync(string digest, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
        => CallAsync(ArcDevelopMethods.PutBlob, new BlobUpload(digest, bytes), cancellationToken);

    /// <summary>Makes the worker serve the code <paramref name="request"/> names; returns its status after the reload.</summary>
    public Task<DevelopStatus> ReloadAsync(ReloadRequest request, CancellationToken cancellationToken = default)
        => CallAsync(ArcDevelopMethods.Reload, request, cancellationToken);

    /// <summary>What the worker serves now, and which files it shares with user code.</summary>
    public Task<DevelopStatus> StatusAsync(CancellationToken cancellationToken = default)
        => CallAsync(ArcDevelopMethods.Status, EmptyMessage.Instance, cancellationToken);

    private Task<TResponse> CallAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CancellationToken cancellationToken)
        where TRequest : class where TResponse : class
        => RemoteCallErrors.UnaryAsync(_channel, method, request, deadline: null, cancellationToken);
}
