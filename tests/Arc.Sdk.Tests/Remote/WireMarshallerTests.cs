using System.Buffers;
using Grpc.Core;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The marshallers' contract with gRPC's serialization context: the payload length comes before the bytes (what lets
/// Grpc.Net write a message straight into its frame), and the bytes are the value's wire form.
/// </summary>
public sealed class WireMarshallerTests
{
    [Theory]
    [InlineData(1)]      // a Predict-sized request (3 KB, fits the scratch's first buffer)
    [InlineData(64)]     // a 197 KiB batch: the scratch grows
    public void SerializerSetsTheExactLengthBeforeWritingTheWireForm(int rows)
    {
        var pixels = Enumerable.Range(0, rows * 784).Select(i => (i % 251) / 251f).ToArray();
        var images = new ImageData(ArcArray.From(pixels, rows, 1, 28, 28));
        var context = new RecordingContext();

        ArcMarshallers.For<ImageData>().ContextualSerializer(images, context);

        byte[] expected = ArcWire.Serialize(images);
        Assert.Equal(["SetPayloadLength", "GetBufferWriter", "Complete"], context.Calls);
        Assert.Equal(expected.Length, context.PayloadLength);
        Assert.Equal(expected, context.Written.WrittenSpan.ToArray());
    }

    [Fact]
    public void SerializedBytesDecodeBackToTheSameValue()
    {
        var classes = new ClassData(new long[] { 2, 0, 1 }, ["a", "b", "c"]);
        var context = new RecordingContext();
        var marshaller = ArcMarshallers.For<ClassData>();

        marshaller.ContextualSerializer(classes, context);
        var decoded = marshaller.ContextualDeserializer(new BytesContext(context.Written.WrittenSpan.ToArray()));

        Assert.True(classes.ContentEquals(decoded));
    }

    /// <summary>Records the order of the calls a marshaller makes and what it writes.</summary>
    private sealed class RecordingContext : SerializationContext
    {
        public List<string> Calls { get; } = [];
        public int? PayloadLength { get; private set; }
        public ArrayBufferWriter<byte> Written { get; } = new();

        public override void SetPayloadLength(int payloadLength)
        {
            Calls.Add(nameof(SetPayloadLength));
            PayloadLength = payloadLength;
        }

        public override IBufferWriter<byte> GetBufferWriter()
        {
            Calls.Add(nameof(GetBufferWriter));
            return Written;
        }

        public override void Complete() => Calls.Add(nameof(Complete));

        public override void Complete(byte[] payload) => Calls.Add("Complete(byte[])");
    }

    private sealed class BytesContext(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;
        public override byte[] PayloadAsNewBuffer() => payload.ToArray();
        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }
}
