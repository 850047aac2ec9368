using MessagePack;

namespace Arc.Types;

/// <summary>Writing helpers shared by the built-in types' wire forms.</summary>
public static class WireWriter
{
    /// <summary>
    /// Starts a top-level value: a map header of <paramref name="otherEntries"/> + 2 entries, then
    /// <c>"arc": tag</c> and <c>"v": 1</c>. The caller writes exactly <paramref name="otherEntries"/> more key/value pairs.
    /// </summary>
    public static void WriteHeader(ref MessagePackWriter writer, string tag, int otherEntries)
    {
        writer.WriteMapHeader(otherEntries + 2);
        writer.Write("arc");
        writer.Write(tag);
        writer.Write("v");
        writer.Write(ArcWire.Version);
    }

    /// <summary>Writes an array of strings.</summary>
    public static void WriteStrings(ref MessagePackWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteArrayHeader(values.Count);
        for (int i = 0; i < values.Count; i++) writer.Write(values[i]);
    }
}
