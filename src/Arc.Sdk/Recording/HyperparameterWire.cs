using System.Buffers;
using MessagePack;

namespace Arc.Sdk;

/// <summary>
/// Reads a generated parameter record's wire form (a MessagePack map from parameter name to value) into typed values
/// for a recorder: integers as <see cref="long"/>, floats as <see cref="double"/>, booleans, strings; anything else
/// (arrays, maps, data) as its JSON text; nulls left out.
/// </summary>
internal static class HyperparameterWire
{
    public static IReadOnlyDictionary<string, object> Read(byte[]? wire)
    {
        var values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        if (wire is null || wire.Length == 0) return values;
        var reader = new MessagePackReader(new ReadOnlySequence<byte>(wire));
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString() ?? "";
            object? value = reader.NextMessagePackType switch
            {
                MessagePackType.Nil => ReadNil(ref reader),
                MessagePackType.Boolean => reader.ReadBoolean(),
                MessagePackType.Integer => reader.ReadInt64(),
                MessagePackType.Float => reader.ReadDouble(),
                MessagePackType.String => reader.ReadString(),
                _ => Json(ref reader),
            };
            if (value is not null && name.Length > 0) values[name] = value;
        }
        return values;
    }

    private static object? ReadNil(ref MessagePackReader reader)
    {
        reader.ReadNil();
        return null;
    }

    private static string Json(ref MessagePackReader reader)
    {
        var start = reader.Position;
        reader.Skip();
        var raw = reader.Sequence.Slice(start, reader.Position).ToArray();
        return MessagePackSerializer.ConvertToJson(raw);
    }
}
