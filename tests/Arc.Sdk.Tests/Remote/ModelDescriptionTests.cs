using System.Buffers;
using Grpc.Core;
using MessagePack;
using Arc.Remote;

namespace Arc.Sdk.Tests.Remote;

/// <summary>The Describe reply's optional device: carried when the model reports one, absent (and read as null) otherwise.</summary>
public sealed class ModelDescriptionTests
{
    [Fact]
    public void A_description_with_a_device_round_trips()
    {
        var description = new ModelDescription("mlp", "image", "class", "cuda:0");
        Assert.Equal(description, Decode(Encode(description)));
    }

    [Fact]
    public void A_description_without_a_device_is_the_three_keys_an_older_peer_sends()
    {
        var bytes = Encode(new ModelDescription("mlp", "image", "class"));
        var reader = new MessagePackReader(bytes);
        Assert.Equal(3, reader.ReadMapHeader());
        Assert.Null(Decode(bytes).Device);
    }

    [Fact]
    public void A_device_of_the_wrong_type_is_refused_naming_the_field()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        foreach (var (key, value) in new[] { ("name", "m"), ("x", "image"), ("y", "class") })
        {
            writer.Write(key);
            writer.Write(value);
        }
        writer.Write("device");
        writer.Write(3);
        writer.Flush();
        var e = Assert.ThrowsAny<Exception>(() => Decode(buffer.WrittenSpan.ToArray()));
        Assert.Contains("device", e.Message);
    }

    private static byte[] Encode(ModelDescription description)
    {
        var context = new Writer();
        ArcMarshallers.Description.ContextualSerializer(description, context);
        return context.Buffer.WrittenSpan.ToArray();
    }

    private static ModelDescription Decode(byte[] payload) => ArcMarshallers.Description.ContextualDeserializer(new Reader(payload));

    private sealed class Writer : SerializationContext
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new();
        public override IBufferWriter<byte> GetBufferWriter() => Buffer;
        public override void Complete() { }
    }

    private sealed class Reader(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;
        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }
}
