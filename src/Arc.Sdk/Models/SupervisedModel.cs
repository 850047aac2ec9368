using Arc.Types;

namespace Arc;

/// <summary>
/// Base of a user's supervised model from <typeparamref name="X"/> to <typeparamref name="Y"/>. Write
/// <see cref="Fit"/> and <see cref="Predict"/> (TorchSharp inside, typically), mark the class
/// <c>[Model]</c> and <c>partial</c>; the async <see cref="ISupervisedModel{X,Y}"/> members wrap them.
/// </summary>
public abstract class SupervisedModel<X, Y> : ISupervisedModel<X, Y>, IDisposable
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <inheritdoc />
    public virtual string Name => GetType().Name.ToLowerInvariant();

    /// <summary>One optimisation step on one batch.</summary>
    public abstract FitResult Fit(X x, Y y);

    /// <summary>Predictions for a batch.</summary>
    public abstract Y Predict(X x);

    /// <summary>Writes the learned state; the default throws, TorchSharp models override it (see the SDK's torch helpers).</summary>
    public abstract void SaveWeights(Stream destination);

    /// <summary>Replaces the learned state with one written by <see cref="SaveWeights"/>.</summary>
    public abstract void LoadWeights(Stream source);

    /// <inheritdoc />
    public ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Fit(x, y));
    }

    /// <inheritdoc />
    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Predict(x));
    }

    /// <inheritdoc />
    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SaveWeights(destination);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LoadWeights(source);
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases native resources (TorchSharp modules, optimizers).</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}
