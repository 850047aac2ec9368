using System.Runtime.CompilerServices;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

public sealed partial class SupervisedModelHandler<X, Y>
{
    /// <summary>
    /// Fits the stream's batches strictly in order, each under the model gate like <see cref="FitAsync"/>, replying to
    /// each as soon as it is fitted. While batch n fits, batch n+1 is read and decoded on the caller's thread, so the
    /// decode overlaps the fit, unless the model says a collection during its steps is not harmless
    /// (<see cref="IStepCollectionSafety"/>: a TorchSharp model on a TorchSharp without Arc's build fix, where a
    /// collection that a 200 KB decode starts can free a Scalar libtorch is still reading; reading ahead there crashed
    /// the MNIST sample's CNN after ~1,400 steps in one run out of a handful). Such a model's next batch is decoded only
    /// after its fit ends; its bytes still arrive meanwhile, as the client keeps sending ahead.
    /// </summary>
    /// <remarks>
    /// A batch that does not decode ends the stream after the reply to the batch before it. A fit that fails, or a caller
    /// that stops early, cancels the read in flight (its batch would be dropped, and the client may send nothing more
    /// until it has a reply) and waits for it to end before the source is disposed; the fit's error is the one reported.
    /// </remarks>
    public async IAsyncEnumerable<FitReply> FitStreamAsync(IAsyncEnumerable<(X Inputs, Y Targets)> batches,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        bool readAhead = _model is not IStepCollectionSafety { ToleratesCollectionsDuringSteps: false };
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = batches.GetAsyncEnumerator(stopReading.Token);
        Task<bool>? reading = null; // the read of the next batch, in flight while the current one fits
        try
        {
            if (!await reader.MoveNextAsync().ConfigureAwait(false)) yield break;
            while (true)
            {
                var (x, y) = reader.Current;
                var fit = FitAsync(x, y, cancellationToken).AsTask(); // posts the fit to the model thread
                if (readAhead) reading = reader.MoveNextAsync().AsTask(); // decodes the next batch meanwhile
                var reply = await fit.ConfigureAwait(false);
                yield return reply;
                bool more = await (reading ?? reader.MoveNextAsync().AsTask()).ConfigureAwait(false);
                reading = null;
                if (!more) yield break;
            }
        }
        finally
        {
            // The reader must not be disposed while a read is in flight (a failed fit, or a caller that stopped early).
            if (reading is not null)
            {
                await stopReading.CancelAsync().ConfigureAwait(false);
                await reading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }
}
