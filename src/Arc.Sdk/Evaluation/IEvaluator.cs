using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Scores predictions of type <typeparamref name="Y"/> against the truth one batch at a time, so evaluation
/// streams: memory depends on the number of classes or labels, never on the size of the split.
/// One instance serves one evaluation; <see cref="SupervisedJob{X,Y}.EvaluateAsync(ISupervisedModel{X,Y}, DataSplit, int, CancellationToken)"/>
/// makes a fresh one each time (see <see cref="Evaluators"/>).
/// </summary>
/// <typeparam name="Y">The target type the model predicts.</typeparam>
public interface IEvaluator<Y> where Y : IArcData<Y>
{
    /// <summary>Adds one batch; <paramref name="predicted"/> and <paramref name="truth"/> hold the same samples in the same order.</summary>
    /// <exception cref="ArgumentException">The batches disagree (sample counts, class names, label names).</exception>
    void Accumulate(Y predicted, Y truth);

    /// <summary>The metrics over every batch accumulated so far.</summary>
    IEvalDetail Finish();
}
