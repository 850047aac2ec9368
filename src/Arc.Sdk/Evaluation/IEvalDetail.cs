namespace Arc.Sdk;

/// <summary>
/// The typed part of an <see cref="EvalReport"/>: everything one evaluator measured (for example
/// <see cref="ClassificationMetrics"/> or <see cref="MultiLabelMetrics"/>). Custom evaluators return their own.
/// </summary>
public interface IEvalDetail
{
    /// <summary>The headline numbers by name (e.g. <c>accuracy</c>, <c>macro_f1</c>); they become <see cref="EvalReport.Metrics"/>.</summary>
    IReadOnlyDictionary<string, double> Headline { get; }

    /// <summary>A readable multi-line text report (tables of per-class numbers and the like).</summary>
    string Format();
}
