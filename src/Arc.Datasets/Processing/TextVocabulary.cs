using System.Text;
using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// A vocabulary of words fitted on the training split: texts become their words, lower-cased when asked and separated
/// by one space, with every word outside the vocabulary replaced by <see cref="UnknownToken"/>; raw targets (one
/// class name per text) become <see cref="ClassData"/>. A word is a run of letters, digits and apostrophes.
/// </summary>
[Processor(Name = "text-vocabulary")]
public sealed partial class TextVocabulary
    : DatasetProcessor<IReadOnlyList<string>, IReadOnlyList<string>, TextData, ClassData, TextVocabulary.FittedState>,
      IInvertibleProcessor<IReadOnlyList<string>, IReadOnlyList<string>, TextData, ClassData>
{
    /// <summary>What stands for a word outside the vocabulary.</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>A vocabulary of at most <paramref name="maxWords"/> words seen at least <paramref name="minCount"/> times in training.</summary>
    public TextVocabulary(int maxWords = 20_000, int minCount = 1, bool lowercase = true)
    {
        if (maxWords < 1) throw new ArgumentOutOfRangeException(nameof(maxWords), maxWords, "the vocabulary holds at least one word");
        if (minCount < 1) throw new ArgumentOutOfRangeException(nameof(minCount), minCount, "a word is seen at least once");
        MaxWords = maxWords;
        MinCount = minCount;
        Lowercase = lowercase;
    }

    /// <summary>The most words kept (the most frequent; ties in ordinal order).</summary>
    public int MaxWords { get; }

    /// <summary>How often a word must occur in training to be kept.</summary>
    public int MinCount { get; }

    /// <summary>Whether texts are lower-cased (invariant culture) before splitting.</summary>
    public bool Lowercase { get; }

    /// <summary>The fitted state: the words, most frequent first, and the class names.</summary>
    /// <param name="Words">The vocabulary.</param>
    /// <param name="ClassNames">The classes of the training split, in ordinal order.</param>
    public sealed record FittedState(string[] Words, string[] ClassNames);

    private HashSet<string>? _known;
    private FittedState? _knownFor;

    /// <inheritdoc />
    protected override FittedState FitState(IReadOnlyList<string> inputs, IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in inputs)
            foreach (var word in Words(text))
                counts[word] = counts.GetValueOrDefault(word) + 1;
        var words = counts.Where(c => c.Value >= MinCount)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(MaxWords).Select(c => c.Key).ToArray();
        return new FittedState(words, ClassNames.Fit(targets));
    }

    /// <inheritdoc />
    public override TextData ProcessInputs(IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var known = Known();
        var texts = new string[inputs.Count];
        var line = new StringBuilder();
        for (int i = 0; i < texts.Length; i++)
        {
            line.Clear();
            foreach (var word in Words(inputs[i]))
                line.Append(line.Length > 0 ? " " : "").Append(known.Contains(word) ? word : UnknownToken);
            texts[i] = line.ToString();
        }
        return new TextData(texts);
    }

    /// <inheritdoc />
    public override ClassData ProcessTargets(IReadOnlyList<string> targets) => ClassNames.ToClassData(targets, State.ClassNames);

    /// <summary>The processed texts themselves: words outside the vocabulary are gone for good.</summary>
    public IReadOnlyList<string> InvertInputs(TextData inputs) => (inputs ?? throw new ArgumentNullException(nameof(inputs))).Texts;

    /// <summary>The class name of each sample.</summary>
    public IReadOnlyList<string> InvertTargets(ClassData targets) => ClassNames.FromClassData(targets, State.ClassNames);

    private HashSet<string> Known()
    {
        var state = State;
        if (!ReferenceEquals(state, _knownFor) || _known is null)
        {
            _known = new HashSet<string>(state.Words, StringComparer.Ordinal);
            _knownFor = state;
        }
        return _known;
    }

    private IEnumerable<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Lowercase) text = text.ToLowerInvariant();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '\'');
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }
        }
    }
}
