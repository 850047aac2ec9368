using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets;

/// <summary>Turns raw inputs and targets into a model's X and Y with a fitted state.</summary>
/// <typeparam name="TRawX">Raw inputs, e.g. images in raw units or texts.</typeparam>
/// <typeparam name="TRawY">Raw targets, e.g. one class name per sample.</typeparam>
/// <typeparam name="X">The model's inputs.</typeparam>
/// <typeparam name="Y">The model's targets.</typeparam>
public interface IProcessor<TRawX, TRawY, X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <summary>The model's inputs for <paramref name="inputs"/>, through the fitted state.</summary>
    /// <exception cref="InvalidOperationException">The processor is not fitted.</exception>
    X ProcessInputs(TRawX inputs);

    /// <summary>The model's targets for <paramref name="targets"/>, through the fitted state.</summary>
    /// <exception cref="InvalidOperationException">The processor is not fitted.</exception>
    /// <exception cref="ArgumentException">A target the fitted state does not know (a class name not seen in training).</exception>
    Y ProcessTargets(TRawY targets);
}

/// <summary>
/// A processor that also maps the model's side back to raw units: class indices to class names, normalised values to
/// raw ones, so that a prediction reads as the raw data did.
/// </summary>
public interface IInvertibleProcessor<TRawX, TRawY, X, Y> : IProcessor<TRawX, TRawY, X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <summary>The raw inputs <paramref name="inputs"/> came from (as far as processing kept them).</summary>
    TRawX InvertInputs(X inputs);

    /// <summary>The raw targets <paramref name="targets"/> stand for, e.g. the predicted class names.</summary>
    TRawY InvertTargets(Y targets);
}

/// <summary>Prediction from raw input through a dataset's processor.</summary>
public static class ProcessorPrediction
{
    /// <summary>
    /// Processes <paramref name="raw"/> as the dataset's training data was, predicts with <paramref name="model"/> and
    /// maps the prediction back to raw targets (class names, raw units).
    /// </summary>
    public static async ValueTask<TRawY> PredictRawAsync<TRawX, TRawY, X, Y>(this IInvertibleProcessor<TRawX, TRawY, X, Y> processor,
        ISupervisedModel<X, Y> model, TRawX raw, CancellationToken cancellationToken = default)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(model);
        var predicted = await model.PredictAsync(processor.ProcessInputs(raw), cancellationToken).ConfigureAwait(false);
        return processor.InvertTargets(predicted);
    }
}
