using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The built-in evaluator for <see cref="TextData"/> targets: exact-match accuracy (ordinal) and the mean character
/// error rate (Levenshtein distance in UTF-16 code units over the true text's length; an empty true text counts 0 when
/// the prediction is empty too, else 1).
/// </summary>
public sealed class TextMatchEvaluator : IEvaluator<TextData>
{
    private long _samples;
    private long _exact;
    private double _errorRates;

    /// <inheritdoc />
    public void Accumulate(TextData predicted, TextData truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Count != truth.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} true samples; a model must predict one text per input", nameof(predicted));
        for (int i = 0; i < truth.Count; i++)
        {
            string p = predicted[i], t = truth[i];
            if (string.Equals(p, t, StringComparison.Ordinal)) _exact++;
            _errorRates += t.Length == 0 ? (p.Length == 0 ? 0 : 1) : (double)Distance(p, t) / t.Length;
        }
        _samples += truth.Count;
    }

    /// <inheritdoc />
    public IEvalDetail Finish() => new TextMatchMetrics(_samples, _exact, _samples == 0 ? 0 : _errorRates / _samples);

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

/// <summary>What <see cref="TextMatchEvaluator"/> measured (headline <c>exact_match</c>, <c>cer</c>).</summary>
/// <param name="Samples">Texts scored.</param>
/// <param name="ExactMatches">Predictions equal to the truth.</param>
/// <param name="CharacterErrorRate">The mean per-text character error rate.</param>
public sealed record TextMatchMetrics(long Samples, long ExactMatches, double CharacterErrorRate) : IEvalDetail
{
    /// <summary>The share of exact matches.</summary>
    public double ExactMatch => Samples == 0 ? 0 : (double)ExactMatches / Samples;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Headline => new Dictionary<string, double> { ["exact_match"] = ExactMatch, ["cer"] = CharacterErrorRate };

    /// <inheritdoc />
    public string Format() => $"exact match {TextTable.Number(ExactMatch)} ({ExactMatches}/{Samples})  character error rate {TextTable.Number(CharacterErrorRate)}\n";
}
