using System.Collections.Immutable;

namespace Arc.Tracking;

/// <summary>
/// Copies the maps a record is given into immutable ones sorted by ordinal key, so a record cannot change after it was
/// made (not even through the caller's dictionary) and lists its entries in one stable order.
/// </summary>
internal static class ReadOnlyMaps
{
    public static IReadOnlyDictionary<string, T> Freeze<T>(IEnumerable<KeyValuePair<string, T>>? entries)
        => entries is ImmutableSortedDictionary<string, T> { KeyComparer: var comparer } frozen && ReferenceEquals(comparer, StringComparer.Ordinal)
            ? frozen
            : (entries ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>Freezes <paramref name="entries"/> after checking every key with <paramref name="checkKey"/> and every value with <paramref name="checkValue"/>.</summary>
    public static IReadOnlyDictionary<string, T> Checked<T>(IEnumerable<KeyValuePair<string, T>>? entries, string parameter,
        Func<string, string> checkKey, Action<string, T>? checkValue = null)
    {
        if (entries is null) throw new ArgumentNullException(parameter);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            string checkedKey = checkKey(key);
            checkValue?.Invoke(checkedKey, value);
            if (!builder.TryAdd(checkedKey, value))
                throw new ArgumentException($"{parameter} has the key '{key}' twice", parameter);
        }
        return builder.ToImmutable();
    }
}
