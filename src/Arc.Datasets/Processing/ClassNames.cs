using Arc.Types;

namespace Arc.Datasets;

/// <summary>Class names fitted from raw targets (one name per sample), and the mapping both ways.</summary>
internal static class ClassNames
{
    /// <summary>The distinct names in ordinal order, so the same training targets always give the same indices.</summary>
    public static string[] Fit(IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var names = targets.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return names.Length > 0 ? names : throw new ArgumentException("the training split has no targets to take class names from", nameof(targets));
    }

    public static ClassData ToClassData(IReadOnlyList<string> targets, string[] names)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var index = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) index[names[i]] = i;
        var indices = new long[targets.Count];
        for (int i = 0; i < indices.Length; i++)
            indices[i] = index.TryGetValue(targets[i], out long k) ? k
                : throw new ArgumentException($"target {i} is '{targets[i]}', which is not one of the {names.Length} classes fitted on the training split ({string.Join(", ", names.Take(10))}{(names.Length > 10 ? ", …" : "")})", nameof(targets));
        return new ClassData(indices, names);
    }

    public static IReadOnlyList<string> FromClassData(ClassData classes, string[] names)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (!classes.ClassNames.SequenceEqual(names, StringComparer.Ordinal))
            throw new ArgumentException($"the classes are {string.Join(", ", classes.ClassNames)}, but the processor fitted {string.Join(", ", names)}", nameof(classes));
        var indices = classes.IndexSpan;
        var result = new string[indices.Length];
        for (int i = 0; i < result.Length; i++) result[i] = names[indices[i]];
        return result;
    }
}
