using Arc.Datasets;

namespace Arc.Samples.Language;

/// <summary>Hashed bag-of-features of a processed text (words separated by spaces, unknown ones as &lt;unk&gt;).</summary>
internal static class TextFeatures
{
    /// <summary>Adds the text's features to <paramref name="row"/> and scales the row to unit length.</summary>
    public static void Add(string text, Span<float> row)
    {
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            Count(row, "w:" + word);
            if (word == TextVocabulary.UnknownToken) continue;
            string padded = "^" + word + "$";
            for (int n = 1; n <= 3; n++)
                for (int start = 0; start + n <= padded.Length; start++)
                    Count(row, padded.Substring(start, n));
        }
        double norm = 0;
        foreach (float v in row) norm += v * v;
        if (norm > 0)
        {
            float scale = (float)(1 / Math.Sqrt(norm));
            for (int i = 0; i < row.Length; i++) row[i] *= scale;
        }
    }

    private static void Count(Span<float> row, string feature) => row[(int)(Fnv1a(feature) % (uint)row.Length)] += 1;

    /// <summary>FNV-1a over UTF-16 code units: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 16777619;
        }
        return hash;
    }
}
