using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>Small checked readers for the fields of Arc's RPC messages (maps with string keys).</summary>
internal static class WireFields
{
    /// <summary>The most entries a message map may declare: more is hostile, not a newer version.</summary>
    public const int MaxMapEntries = 64;

    public static int ReadMapHeader(ref MessagePackReader reader, string where)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
            throw new ArcFormatException($"{where}: expected a map, found {reader.NextMessagePackType}");
        int count = reader.ReadMapHeader();
        if (count > MaxMapEntries) throw new ArcFormatException($"{where}: a map of {count} entries is too large");
        return count;
    }

    public static string ReadKey(ref MessagePackReader reader, string where)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
            throw new ArcFormatException($"{where}: expected a string key, found {reader.NextMessagePackType}");
        return reader.ReadString() ?? throw new ArcFormatException($"{where}: a key is nil");
    }

    public static string ReadString(ref MessagePackReader reader, string where)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
            throw new ArcFormatException($"{where}: expected a string, found {reader.NextMessagePackType}");
        return reader.ReadString() ?? throw new ArcFormatException($"{where} is nil");
    }

    public static T Required<T>(T? value, string where) where T : class
        => value ?? throw new ArcFormatException($"{where} is missing");

    public static T Required<T>(T? value, string where) where T : struct
        => value ?? throw new ArcFormatException($"{where} is missing");
}
