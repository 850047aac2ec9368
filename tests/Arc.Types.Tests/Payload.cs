using System.Buffers;
using MessagePack;

namespace Arc.Types.Tests;

/// <summary>Hand-built MessagePack payloads for tests that need bytes no Arc writer would produce.</summary>
internal static class Payload
{
    public delegate void Writing(ref MessagePackWriter writer);

    public static byte[] Build(Writing write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A msgpack fixstr / str8 key or value.</summary>
    public static byte[] Str(string s) => Build((ref MessagePackWriter w) => w.Write(s));
}
