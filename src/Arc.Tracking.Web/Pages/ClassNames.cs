using Arc.Tracking.Server;

namespace Arc.Tracking.Web;

/// <summary>
/// The class names of a confusion matrix, in its order: the header of the <c>evaluation/&lt;split&gt;-confusion.csv</c> file
/// the recorder attaches (the points only number the classes), or the numbers when the file or the blob store is missing.
/// </summary>
internal static class ClassNames
{
    public static async Task<IReadOnlyList<string>> ReadAsync(IBlobStore? blobs, string split, int count, IReadOnlyList<AttachedFile> files, CancellationToken cancellationToken)
    {
        var numbers = Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var csv = files.FirstOrDefault(f => f.File.Name == $"evaluation/{split}-confusion.csv");
        if (csv is null || blobs is null) return numbers;
        try
        {
            var stream = await blobs.OpenReadAsync(csv.File.Sha256, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream);
                string? header = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                var names = header is null ? [] : SplitCsv(header).Skip(1).ToArray();
                return names.Length == count ? names : numbers;
            }
        }
        catch (Exception e) when (e is IOException or TrackingNotFoundException or FileNotFoundException)
        {
            return numbers; // a missing blob costs the names, not the page
        }
    }

    /// <summary>One CSV line's fields (quoted fields may hold commas and doubled quotes).</summary>
    internal static IEnumerable<string> SplitCsv(string line)
    {
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { yield return field.ToString(); field.Clear(); }
            else field.Append(c);
        }
        yield return field.ToString();
    }
}
