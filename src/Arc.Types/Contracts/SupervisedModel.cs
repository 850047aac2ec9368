
namespace Arc.Types;

/// <summary>
/// Base of a user's supervised model from <typeparamref name="X"/> to <typeparamref name="Y"/>. Write
/// <see cref="Fit"/>, <see cref="Predict"/>, <see cref="SaveWeights"/> and <see cref="LoadWeights"/>, mark the class
/// <c>[Model]</c> and <c>partial</c>; the async <see cref="ISupervisedModel{X,Y}"/> members wrap them.
/// TorchSharp models derive from <c>TorchSupervisedModel&lt;X, Y&gt;</c> (or <c>TorchClassifier&lt;X&gt;</c>, in Arc.Torch)
/// instead, which implement all four around a <c>torch.nn.Module</c>.
/// </summary>
/// <remarks>
/// The async wrappers run the synchronous member on the calling thread (a local model has nothing to wait for)
/// and report its exceptions through the returned task, as an asynchronous method would. They check their arguments
/// first, as every deployed model does (docs/errors.md): a null argument is <see cref="ArgumentNullException"/> naming
/// it, inputs and targets with different row counts are <see cref="ArgumentException"/>, whatever the model's own
/// members check.
/// </remarks>
public abstract class SupervisedModel<X, Y> : ISupervisedModel<X, Y>, IContractInfo, IDisposable
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <inheritdoc />
    public virtual string Name => DefaultNames.For(GetType());

    /// <summary>
    /// What X and Y must look like (docs/data-types.md, "Contracts"): the generator overrides it with what the class's
    /// contract attributes state; <see cref="DataContract.None"/> (anything of the right type) otherwise.
    /// </summary>
    public virtual DataContract Contract => DataContract.None;

    /// <summary>One optimisation step on one batch.</summary>
    public abstract FitResult Fit(X x, Y y);

    /// <summary>Predictions for a batch: exactly one per input, in input order.</summary>
    public abstract Y Predict(X x);

    /// <summary>Writes the learned state (weights) to <paramref name="destination"/>, leaving the stream open.</summary>
    public abstract void SaveWeights(Stream destination);

    /// <summary>Replaces the learned state with one written by <see cref="SaveWeights"/> of the same model class and hyperparameters.</summary>
    /// <remarks>
    /// Contract for an implementation: the load is <b>all or nothing</b>. Read and check the whole of
    /// <paramref name="source"/> first (every part present, sizes and types as the model expects, the stream not ended
    /// early) into new objects, and only then replace the model's state, in a step that cannot fail half-way (e.g. swap
    /// references, or copy into same-sized buffers). If anything does not fit, throw, preferably
    /// <see cref="InvalidDataException"/> with a message naming the part that did not fit, and leave the previous
    /// weights in place: a worker keeps serving the model after a refused load, and its callers rely on getting exactly
    /// the predictions and saved weights they had before. Arc never calls this concurrently with the model's other
    /// members on a worker (calls into one model run one at a time), so no lock is needed for that.
    /// <c>TorchSupervisedModel</c> (Arc.Torch) implements it this way.
    /// </remarks>
    /// <exception cref="InvalidDataException">The stream is not weights of this model; nothing was changed.</exception>
    public abstract void LoadWeights(Stream source);

    /// <inheritdoc />
    public ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<FitResult>(cancellationToken);
        try
        {
            ModelArguments.CheckPair(x, y);
            return ValueTask.FromResult(Fit(x, y));
        }
        catch (Exception e) { return ValueTask.FromException<FitResult>(e); }
    }

    /// <inheritdoc />
    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<Y>(cancellationToken);
        try
        {
            ArgumentNullException.ThrowIfNull(x);
            return ValueTask.FromResult(Predict(x));
        }
        catch (Exception e) { return ValueTask.FromException<Y>(e); }
    }

    /// <inheritdoc />
    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        try
        {
            ArgumentNullException.ThrowIfNull(destination);
            SaveWeights(destination);
            return ValueTask.CompletedTask;
        }
        catch (Exception e) { return ValueTask.FromException(e); }
    }

    /// <inheritdoc />
    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        try
        {
            ArgumentNullException.ThrowIfNull(source);
            LoadWeights(source);
            return ValueTask.CompletedTask;
        }
        catch (Exception e) { return ValueTask.FromException(e); }
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
