using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Grpc.Core;
using Arc.Types;

namespace Arc.Remote;

public sealed partial class RemoteModelClient<X, Y>
{
    /// <summary>How many batches <see cref="FitStreamAsync"/> keeps sent but unanswered unless told otherwise.</summary>
    public const int DefaultFitStreamDepth = 3;

    /// <summary>
    /// Trains the remote model on <paramref name="batches"/> in order over one <c>/arc.Model/FitStream</c> call,
    /// yielding one reply per batch as the worker answers. Up to <paramref name="maxInFlight"/> batches are sent ahead
    /// of the replies (batch n+1 travels while the worker fits batch n), and no more, so memory stays flat whatever
    /// the stream's length. Errors are those of <see cref="FitAsync"/>; an exception thrown by
    /// <paramref name="batches"/> itself, or a batch whose parts are null or of different lengths
    /// (<see cref="ArgumentException"/>, checked before it is sent), ends the call and is rethrown as it is. Leaving
    /// the <c>await foreach</c> early cancels the call on the worker.
    /// </summary>
    public async IAsyncEnumerable<FitReply> FitStreamAsync(IAsyncEnumerable<(X Inputs, Y Targets)> batches,
        int maxInFlight = DefaultFitStreamDepth, DateTime? deadline = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        // Batch n goes to slot n mod maxInFlight, free again once batch n - maxInFlight is answered.
        using var shared = _channel.SharedMemoryBatches ? SharedBatchWriter.TryCreate(maxInFlight) : null;
        var replies = shared is null
            ? StreamAsync(ArcModelMethods<X, Y>.FitStream, headers: null, batches, maxInFlight,
                static (x, y, _) => new FitRequest<X, Y>(x, y), answered: null, deadline, cancellationToken)
            : StreamAsync(ArcModelMethods<X, Y>.FitStreamShared, new Metadata { { SharedBatchFiles.Header, shared.Directory } }, batches, maxInFlight,
                (x, y, n) => shared.Place(x, y, (int)(n % maxInFlight), _channel.MaxSendMessageBytes),
                n => shared.Answered((int)(n % maxInFlight)), deadline, cancellationToken);
        await foreach (var reply in replies.ConfigureAwait(false))
            yield return reply;
    }

    /// <summary>
    /// The pipelined call itself, whichever method carries it: <paramref name="toRequest"/> makes batch n's request once
    /// a place in flight is free, <paramref name="answered"/> hears that batch n was answered.
    /// </summary>
    private async IAsyncEnumerable<FitReply> StreamAsync<TRequest>(Method<TRequest, FitReply> method, Metadata? headers,
        IAsyncEnumerable<(X Inputs, Y Targets)> batches, int maxInFlight, Func<X, Y, long, TRequest> toRequest, Action<long>? answered,
        DateTime? deadline, [EnumeratorCancellation] CancellationToken cancellationToken)
        where TRequest : class
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new CallOptions(headers, deadline?.ToUniversalTime(), stop.Token);
        // Disposing the call (also when the caller stops early) cancels it on the worker.
        using var call = _channel.CallInvoker.AsyncDuplexStreamingCall(method, null, options);
        var sender = new FitStreamSender<TRequest>(batches, maxInFlight, toRequest, stop);
        var sending = sender.SendAllAsync(call.RequestStream);
        long received = 0;
        try
        {
            while (await NextReplyAsync(call.ResponseStream, sender, method.FullName, stop.Token, cancellationToken).ConfigureAwait(false))
            {
                answered?.Invoke(received);
                received++;
                sender.ReplyReceived();
                yield return call.ResponseStream.Current;
            }
            long sent;
            try
            {
                sent = await sending.ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw RemoteCallErrors.Translate(e, _channel, method.FullName, cancellationToken);
            }
            if (received != sent)
                throw new InvalidOperationException(
                    $"the worker at {_channel.Address} ended {method.FullName} after {received} replies to {sent} batches");
        }
        finally
        {
            if (!sending.IsCompleted)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try { await sending.ConfigureAwait(false); }
                catch (Exception) { /* the call's own outcome (or the caller leaving) is what matters */ }
            }
        }
    }

    private async Task<bool> NextReplyAsync<TRequest>(IAsyncStreamReader<FitReply> replies, FitStreamSender<TRequest> sender, string method,
        CancellationToken ct, CancellationToken callerToken)
    {
        try
        {
            return await replies.MoveNext(ct).ConfigureAwait(false);
        }
        catch (Exception) when (sender.SourceError is { } source)
        {
            // The batches failed and the call was cancelled for that: their exception is the one to report.
            ExceptionDispatchInfo.Throw(source);
            throw;
        }
        catch (RpcException e)
        {
            throw RemoteCallErrors.Translate(e, _channel, method, callerToken);
        }
    }

    /// <summary>Writes the batches as request messages, never more than the allowed depth ahead of the replies.</summary>
    private sealed class FitStreamSender<TRequest>(IAsyncEnumerable<(X Inputs, Y Targets)> batches, int maxInFlight,
        Func<X, Y, long, TRequest> toRequest, CancellationTokenSource stop)
    {
        private readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);

        /// <summary>What the batch source threw, if it did (the call is then cancelled).</summary>
        public Exception? SourceError { get; private set; }

        public void ReplyReceived() => _slots.Release();

        /// <summary>Sends every batch then half-closes; returns how many were sent.</summary>
        public async Task<long> SendAllAsync(IClientStreamWriter<TRequest> requests)
        {
            var ct = stop.Token;
            long sent = 0;
            var source = batches.GetAsyncEnumerator(ct);
            await using var sourceDisposal = source.ConfigureAwait(false);
            while (true)
            {
                X x;
                Y y;
                try
                {
                    if (!await source.MoveNextAsync().ConfigureAwait(false)) break;
                    (x, y) = source.Current;
                    // Checked here, before the batch is sent, so that a bad batch fails as it would in process.
                    ModelArguments.CheckPair(x, y);
                }
                catch (Exception e)
                {
                    SourceError = e;
                    await stop.CancelAsync().ConfigureAwait(false);
                    throw;
                }
                await _slots.WaitAsync(ct).ConfigureAwait(false);
                await requests.WriteAsync(toRequest(x, y, sent), ct).ConfigureAwait(false);
                sent++;
            }
            await requests.CompleteAsync().ConfigureAwait(false);
            return sent;
        }
    }
}
