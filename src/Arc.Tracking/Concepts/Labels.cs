namespace Arc.Tracking;

/// <summary>
/// Labels: <c>key=value</c> pairs on models and model versions that say something operational about them
/// (<c>stage=production</c>, <c>privacy=internal</c>), set and removed over time, each change an event.
/// </summary>
public static class Labels
{
    /// <summary>Checks a label key (<see cref="TrackingNames.Key"/>).</summary>
    public static string Key(string? key, string parameter) => TrackingNames.Key(key, parameter, "label key");

    /// <summary>Checks a label value: at most 256 characters, no control characters, may be empty.</summary>
    public static string Value(string? value, string parameter) => TrackingNames.Text(value, parameter, "label value", TrackingNames.MaxLabelValueLength);

    internal static IReadOnlyDictionary<string, string> Check(IReadOnlyDictionary<string, string>? labels, string parameter)
        => ReadOnlyMaps.Checked(labels, parameter, key => Key(key, parameter), (key, value) => Value(value, parameter));
}
