using System.Runtime.CompilerServices;
using Arc.Remote;

namespace Arc.Sdk;

public sealed partial class SupervisedModelHandler<X, Y>
{
    /// <summary>
    /// Fits the stream's batches strictly in order, each under the model gate like <see cref="FitAsync"/>, replying to
    /// each as soon as it is fitted. The next request is read (decoded) only after the current fit ends: the client
    /// keeps sending ahead, so the bytes of batch n+1 arrive while batch n fits, but nothing on this worker allocates
    /// a 200 KB batch while TorchSharp is inside a native call. A collection triggered by such an allocation on another
    /// thread can finalize a TorchSharp <c>Scalar</c> that libtorch is still reading (see <c>TorchGcSafety</c>); reading
    /// ahead on a second thread crashed the MNIST sample's CNN after ~1,400 steps in one run out of a handful.
    /// </summary>
    public async IAsyncEnumerable<FitReply> FitStreamAsync(IAsyncEnumerable<(X Inputs, Y Targets)> batches,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await foreach (var (x, y) in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return await FitAsync(x, y, cancellationToken).ConfigureAwait(false);
    }
}
