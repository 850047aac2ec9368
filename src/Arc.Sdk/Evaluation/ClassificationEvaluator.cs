using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The built-in evaluator for <see cref="ClassData"/>: counts a K×K confusion matrix batch by batch and turns it
/// into <see cref="ClassificationMetrics"/>. The class names come from the first batch of truth; every later batch,
/// predicted or true, must carry the same names in the same order.
/// </summary>
public sealed class ClassificationEvaluator : IEvaluator<ClassData>
{
    private IReadOnlyList<string>? _classNames;
    private long[,]? _confusion;

    /// <inheritdoc />
    public void Accumulate(ClassData predicted, ClassData truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Count != truth.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} true samples; a model must predict exactly one class per input", nameof(predicted));
        if (_classNames is null)
        {
            _classNames = truth.ClassNames;
            _confusion = new long[_classNames.Count, _classNames.Count];
        }
        RequireSameNames(truth.ClassNames, "the truth of this batch", nameof(truth));
        RequireSameNames(predicted.ClassNames, "the model's predictions", nameof(predicted));

        var truthIndices = truth.IndexSpan;
        var predictedIndices = predicted.IndexSpan;
        // ClassData has already checked that every index lies in 0..K-1.
        for (int i = 0; i < truthIndices.Length; i++)
            _confusion![truthIndices[i], predictedIndices[i]]++;
    }

    /// <inheritdoc />
    public IEvalDetail Finish() => _classNames is null
        ? new ClassificationMetrics([], new long[0, 0])
        : new ClassificationMetrics(_classNames, _confusion!);

    private void RequireSameNames(IReadOnlyList<string> names, string what, string parameter)
    {
        if (!names.SequenceEqual(_classNames!))
            throw new ArgumentException(
                $"{what} name the classes [{Describe(names)}] but evaluation started with [{Describe(_classNames!)}]; " +
                "the model and the job must agree on the class names and their order", parameter);
    }

    private static string Describe(IReadOnlyList<string> names)
        => names.Count <= 12 ? string.Join(", ", names) : string.Join(", ", names.Take(12)) + $", … ({names.Count} in all)";
}
