using System.Buffers;
using MessagePack;

namespace Arc.Generators.Tests.Infrastructure;

/// <summary>Builds and reads raw MessagePack in tests, independently of the code under test.</summary>
internal static class Wire
{
    public delegate void Build(ref MessagePackWriter writer);

    public delegate T ReadValue<T>(ref MessagePackReader reader);

    public static byte[] Write(Build build)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        build(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A map from (key, value writer) pairs, in the given order.</summary>
    public static byte[] Map(params (string Key, Build Value)[] entries) => Write((ref MessagePackWriter w) =>
    {
        w.WriteMapHeader(entries.Length);
        foreach (var (key, value) in entries)
        {
            w.Write(key);
            value(ref w);
        }
    });

    public static T Read<T>(byte[] bytes, ReadValue<T> read)
    {
        var reader = new MessagePackReader(bytes);
        T value = read(ref reader);
        Assert.True(reader.End, "the bytes hold more than one value");
        return value;
    }

    /// <summary>A map as key → JSON-like text of each value, for readable assertions on what was written.</summary>
    public static Dictionary<string, string> ReadMap(byte[] bytes) => Read(bytes, (ref MessagePackReader r) =>
    {
        var map = new Dictionary<string, string>();
        int count = r.ReadMapHeader();
        for (int i = 0; i < count; i++)
            map.Add(r.ReadString()!, Describe(ref r));
        return map;
    });

    public static string Describe(ref MessagePackReader r)
    {
        switch (r.NextMessagePackType)
        {
            case MessagePackType.Nil: r.ReadNil(); return "nil";
            case MessagePackType.Boolean: return r.ReadBoolean() ? "true" : "false";
            case MessagePackType.Integer:
                return r.NextCode == MessagePackCode.UInt64
                    ? r.ReadUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : r.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
            case MessagePackType.Float: return r.ReadDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            case MessagePackType.String: return "\"" + r.ReadString() + "\"";
            case MessagePackType.Array:
                int n = r.ReadArrayHeader();
                var items = new List<string>();
                for (int i = 0; i < n; i++) items.Add(Describe(ref r));
                return "[" + string.Join(",", items) + "]";
            case MessagePackType.Map:
                int m = r.ReadMapHeader();
                var pairs = new List<string>();
                for (int i = 0; i < m; i++) pairs.Add(Describe(ref r) + ":" + Describe(ref r));
                return "{" + string.Join(",", pairs) + "}";
            default:
                throw new InvalidOperationException("unexpected " + r.NextMessagePackType);
        }
    }
}
