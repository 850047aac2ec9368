using System.Runtime.CompilerServices;
using Grpc.Core;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// Calls <c>arc.Job</c> on a worker. Streams are read one batch at a time as the worker sends them; cancelling the
/// token, or leaving the <c>await foreach</c> early, cancels the call and the worker's enumeration with it. Errors
/// surface as in <see cref="RemoteModelClient{X, Y}"/>.
/// </summary>
public sealed class RemoteJobClient<X, Y> where X : class, IArcData<X> where Y : class, IArcData<Y>
{
    private readonly ArcChannel _channel;

    /// <summary>A client over <paramref name="channel"/> (the client owns nothing; dispose the channel).</summary>
    public RemoteJobClient(ArcChannel channel) => _channel = channel ?? throw new ArgumentNullException(nameof(channel));

    /// <summary>One pass over <paramref name="split"/> (one of <see cref="JobSplits"/>) in batches of <paramref name="batchSize"/>.</summary>
    public async IAsyncEnumerable<JobBatch<X, Y>> StreamAsync(int batchSize, string split, int? shuffleSeed = null, DateTime? deadline = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        var method = ArcJobMethods<X, Y>.Stream;
        var options = new CallOptions(deadline: deadline?.ToUniversalTime(), cancellationToken: cancellationToken);
        // Disposing the call (also when the caller stops early) cancels it on the worker.
        using var call = _channel.CallInvoker.AsyncServerStreamingCall(method, null, options, new JobStreamRequest(batchSize, split, shuffleSeed));
        while (true)
        {
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw RemoteCallErrors.Translate(e, _channel, method.FullName, cancellationToken);
            }
            if (!more) yield break;
            yield return call.ResponseStream.Current;
        }
    }

    /// <summary><paramref name="count"/> random samples of <paramref name="split"/>.</summary>
    public Task<JobBatch<X, Y>> SampleAsync(int count, string split, int? seed = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => CallAsync(ArcJobMethods<X, Y>.Sample, new JobSampleRequest(count, split ?? throw new ArgumentNullException(nameof(split)), seed),
            deadline, cancellationToken);

    /// <summary>The remote job's name and X/Y wire tags.</summary>
    public Task<JobDescription> DescribeAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
        => CallAsync(ArcJobMethods<X, Y>.Describe, EmptyMessage.Instance, deadline, cancellationToken);

    private Task<TResponse> CallAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request,
        DateTime? deadline, CancellationToken cancellationToken)
        where TRequest : class where TResponse : class
        => RemoteCallErrors.UnaryAsync(_channel, method, request, deadline, cancellationToken);
}
