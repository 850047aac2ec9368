namespace Arc.Sdk;

/// <summary>
/// The content types of the inference protocol and how a request's <c>Content-Type</c> and <c>Accept</c> are matched
/// against what a module reads and writes (docs/serving.md, "Content types").
/// </summary>
public static class ContentTypes
{
    /// <summary>Arc's JSON form (docs/wire-format.md); the default answer.</summary>
    public const string Json = "application/json";

    /// <summary>Arc's MessagePack wire form.</summary>
    public const string MessagePack = "application/x-msgpack";

    /// <summary>A NumPy <c>.npy</c> file (with Arc.Serving's codecs).</summary>
    public const string Npy = "application/x-npy";

    /// <summary>A PNG image (with Arc.Serving's codecs).</summary>
    public const string Png = "image/png";

    /// <summary>A JPEG image (with Arc.Serving's codecs).</summary>
    public const string Jpeg = "image/jpeg";

    /// <summary>UTF-8 text, one sample per line.</summary>
    public const string PlainText = "text/plain";

    /// <summary>Comma-separated values with a header row: one column per table column.</summary>
    public const string Csv = "text/csv";

    /// <summary>What a request without a <c>Content-Type</c> is taken to be (seed 004).</summary>
    public const string OctetStream = "application/octet-stream";

    /// <summary>What a request without an <c>Accept</c> accepts (seed 004).</summary>
    public const string Any = "*/*";

    /// <summary>The media type without parameters, lower case: <c>Text/Plain; charset=utf-8</c> → <c>text/plain</c>.</summary>
    public static string MediaTypeOf(string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        int semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }

    /// <summary>
    /// The first of <paramref name="offered"/> with the highest quality in <paramref name="accept"/> (an HTTP
    /// <c>Accept</c> value with <c>type/*</c>, <c>*/*</c> and <c>q=</c>), or null when none is acceptable. An empty
    /// <paramref name="accept"/> accepts anything.
    /// </summary>
    public static string? Negotiate(string? accept, IReadOnlyList<string> offered)
    {
        ArgumentNullException.ThrowIfNull(offered);
        if (string.IsNullOrWhiteSpace(accept)) return offered.Count > 0 ? offered[0] : null;
        var ranges = accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseRange).ToList();
        string? best = null;
        double bestQuality = 0;
        foreach (var type in offered)
        {
            // The most specific range that matches decides the quality (RFC 9110, 12.5.1).
            var match = ranges.Where(r => Matches(r.Range, type)).OrderByDescending(r => Specificity(r.Range)).FirstOrDefault();
            if (match.Range is not null && match.Quality > bestQuality)
            {
                best = type;
                bestQuality = match.Quality;
            }
        }
        return best;
    }

    private static (string Range, double Quality) ParseRange(string part)
    {
        var pieces = part.Split(';', StringSplitOptions.TrimEntries);
        double quality = 1;
        foreach (var parameter in pieces.Skip(1))
            if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(parameter.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q))
                quality = Math.Clamp(q, 0, 1);
        return (pieces[0].ToLowerInvariant(), quality);
    }

    private static bool Matches(string range, string type)
        => range == "*/*" || range == type || (range.EndsWith("/*", StringComparison.Ordinal) && type.StartsWith(range[..^1], StringComparison.Ordinal));

    private static int Specificity(string range) => range == "*/*" ? 0 : range.EndsWith("/*", StringComparison.Ordinal) ? 1 : 2;
}
