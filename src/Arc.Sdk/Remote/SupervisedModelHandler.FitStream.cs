using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Arc.Types;

namespace Arc.Remote;

public sealed partial class SupervisedModelHandler<X, Y>
{
    /// <summary>Requests read ahead of the one being fitted: the next batch is decoded and waiting when a fit ends.</summary>
    private const int FitStreamReadAhead = 2;

    /// <summary>
    /// Fits the stream's batches in order, each under the model gate like <see cref="FitAsync"/>, on one thread of
    /// the stream's own, while the call's thread reads (decodes) the next requests: decoding batch n+1 overlaps with
    /// fitting batch n, and a batch already read ahead is taken without a hand-off. One thread also means one OpenMP
    /// team in libtorch for the whole stream (each calling thread gets a team of its own); measured, that alone made no
    /// difference (docs/performance.md), the read-ahead is what matters.
    /// </summary>
    public async IAsyncEnumerable<FitReply> FitStreamAsync(IAsyncEnumerable<(X Inputs, Y Targets)> batches,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inbox = Channel.CreateBounded<(X, Y)>(new BoundedChannelOptions(FitStreamReadAhead) { SingleReader = true, SingleWriter = true });
        var replies = Channel.CreateUnbounded<FitReply>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var reading = ReadAheadAsync(batches, inbox.Writer, stop.Token);
        var fitting = new FitStreamThread(this, inbox.Reader, replies.Writer, stop.Token);
        try
        {
            await foreach (var reply in replies.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return reply;
            // The model's exception first: it came before any later request was even looked at.
            if (fitting.Error is { } error) ExceptionDispatchInfo.Throw(error);
            if (await reading.ConfigureAwait(false) is { } readError) ExceptionDispatchInfo.Throw(readError);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await fitting.Exited.ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }

    /// <summary>Reads the requests into <paramref name="inbox"/>; returns the reading's error (a malformed frame, say) rather than throwing it.</summary>
    private static async Task<Exception?> ReadAheadAsync(IAsyncEnumerable<(X, Y)> batches, ChannelWriter<(X, Y)> inbox, CancellationToken ct)
    {
        try
        {
            await foreach (var batch in batches.WithCancellation(ct).ConfigureAwait(false))
                await inbox.WriteAsync(batch, ct).ConfigureAwait(false);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
        finally
        {
            inbox.TryComplete();
        }
    }

    /// <summary>The dedicated thread of one stream: takes batches, fits them under the gate, posts the replies.</summary>
    private sealed class FitStreamThread
    {
        private readonly SupervisedModelHandler<X, Y> _handler;
        private readonly ChannelReader<(X, Y)> _inbox;
        private readonly ChannelWriter<FitReply> _replies;
        private readonly CancellationToken _ct;
        private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public FitStreamThread(SupervisedModelHandler<X, Y> handler, ChannelReader<(X, Y)> inbox, ChannelWriter<FitReply> replies, CancellationToken ct)
        {
            (_handler, _inbox, _replies, _ct) = (handler, inbox, replies, ct);
            new Thread(Run) { IsBackground = true, Name = $"arc fit stream ({handler._model.Name})" }.Start();
        }

        /// <summary>The model's (or the gate's) exception that ended the stream, if any; read after the replies end.</summary>
        public Exception? Error { get; private set; }

        /// <summary>Completes when the thread is done with the model.</summary>
        public Task Exited => _exited.Task;

        private void Run()
        {
            try
            {
                while (true)
                {
                    if (!_inbox.TryRead(out var batch))
                    {
                        if (!_inbox.WaitToReadAsync(_ct).AsTask().GetAwaiter().GetResult()) break;
                        continue;
                    }
                    var (x, y) = batch;
                    _handler._gate.Wait(_ct);
                    FitResult result;
                    try
                    {
                        ObjectDisposedException.ThrowIf(_handler._disposed, _handler);
                        var fit = _handler._model.FitAsync(x, y, _ct);
                        result = fit.IsCompletedSuccessfully ? fit.Result : fit.AsTask().GetAwaiter().GetResult();
                    }
                    finally
                    {
                        _handler._gate.Release();
                    }
                    _replies.TryWrite(new FitReply(result.Loss, result.Samples));
                }
            }
            catch (Exception e)
            {
                Error = e;
            }
            finally
            {
                _replies.TryComplete();
                _exited.SetResult();
            }
        }
    }
}
