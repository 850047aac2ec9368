using System.Buffers;
using Grpc.Core;

namespace Arc.Worker;

/// <summary>
/// Decodes and encodes gRPC payloads with a method's own marshallers, for the develop worker's byte-level services:
/// the served code (and so X and Y) changes at run time, but the bytes on the wire must be exactly a regular worker's.
/// </summary>
internal static class RawPayloads
{
    public static TRequest Decode<TRequest, TResponse>(Method<TRequest, TResponse> method, byte[] payload)
        => method.RequestMarshaller.ContextualDeserializer(new PayloadReader(payload));

    public static byte[] Encode<TRequest, TResponse>(Method<TRequest, TResponse> method, TResponse value)
    {
        var writer = new PayloadWriter();
        method.ResponseMarshaller.ContextualSerializer(value, writer);
        return writer.Written;
    }

    private sealed class PayloadReader(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])payload.Clone();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }

    private sealed class PayloadWriter : SerializationContext
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private byte[]? _complete;

        public byte[] Written => _complete ?? _buffer.WrittenSpan.ToArray();

        public override void Complete(byte[] payload) => _complete = payload;

        public override IBufferWriter<byte> GetBufferWriter() => _buffer;

        public override void Complete() { }
    }
}
