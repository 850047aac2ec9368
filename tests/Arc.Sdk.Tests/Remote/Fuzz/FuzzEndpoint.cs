using System.Buffers;
using Grpc.Core;

namespace Arc.Testing.Fuzz;

/// <summary>How a fuzzed frame travels.</summary>
internal enum CallShape
{
    /// <summary>One request, one reply.</summary>
    Unary,
    /// <summary>One request, a stream of replies.</summary>
    ServerStreaming,
    /// <summary>A request stream: the first valid frame, the fuzzed frame, the first valid frame again; one reply each.</summary>
    DuplexBetweenValid,
}

/// <summary>
/// One method of a worker as the fuzzer sees it: its path, how it is called (bytes in, bytes out, past every typed
/// client), the valid frames mutations start from, and the oracle that says what the worker must answer for a frame.
/// </summary>
internal sealed class FuzzEndpoint
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(static bytes => bytes, static bytes => bytes);

    public FuzzEndpoint(string service, string method, CallShape shape, IReadOnlyList<byte[]> valid, Func<byte[], Expected> oracle)
    {
        Name = $"{service}/{method}";
        Shape = shape;
        Valid = valid.Select(frame => (frame, WireValues.Index(frame))).ToArray();
        Oracle = oracle;
        var type = shape switch
        {
            CallShape.Unary => MethodType.Unary,
            CallShape.ServerStreaming => MethodType.ServerStreaming,
            _ => MethodType.DuplexStreaming,
        };
        Method = new Method<byte[], byte[]>(type, service, method, Raw, Raw);
    }

    /// <summary>The method's path without the leading slash, e.g. <c>arc.Model/Predict</c>.</summary>
    public string Name { get; }

    public CallShape Shape { get; }

    /// <summary>The valid frames, each with its values listed for the mutator.</summary>
    public IReadOnlyList<(byte[] Frame, WireValue[] Values)> Valid { get; }

    /// <summary>What the worker must answer for a frame (for <see cref="CallShape.DuplexBetweenValid"/>, for the whole stream around it).</summary>
    public Func<byte[], Expected> Oracle { get; }

    /// <summary>The gRPC method with byte[] passthrough marshallers.</summary>
    public Method<byte[], byte[]> Method { get; }
}

/// <summary>Runs Arc's own marshallers on bytes in this process: the fuzzer's independent reading of a frame.</summary>
internal static class LocalWire
{
    /// <summary>The decoded message, or the exact InvalidArgument detail the marshaller raises for <paramref name="frame"/>.</summary>
    public static (T? Value, string? Malformed) Decode<T>(Marshaller<T> marshaller, byte[] frame) where T : class
    {
        try
        {
            return (marshaller.ContextualDeserializer(new FrameContext(frame)), null);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return (null, e.Status.Detail);
        }
    }

    /// <summary>The message's payload bytes as the marshaller writes them.</summary>
    public static byte[] Encode<T>(Marshaller<T> marshaller, T value)
    {
        var context = new CapturingContext();
        marshaller.ContextualSerializer(value, context);
        return context.Payload ?? throw new InvalidOperationException("the marshaller did not complete the message");
    }

    /// <summary>The expectation for one frame of a method whose decoded request the served code answers as <paramref name="decoded"/> says.</summary>
    public static Expected Expect<T>(Marshaller<T> marshaller, byte[] frame, Func<T, Expected> decoded) where T : class
    {
        var (value, malformed) = Decode(marshaller, frame);
        return malformed is not null ? new Expected.Malformed(malformed) : decoded(value!);
    }

    /// <summary>An OK check for a unary reply: exactly one message that <paramref name="check"/> accepts (null) or describes.</summary>
    public static Expected.Ok OneReply(Func<byte[], string?> check)
        => new(replies => replies.Count == 1 ? check(replies[0]) : $"expected one reply, got {replies.Count}");

    /// <summary>An OK check for a unary reply equal to <paramref name="expected"/>, byte for byte.</summary>
    public static Expected.Ok ReplyEquals(byte[] expected)
        => OneReply(reply => reply.AsSpan().SequenceEqual(expected) ? null : $"the reply ({reply.Length} bytes) differs from the expected {expected.Length} bytes");

    private sealed class FrameContext(byte[] frame) : DeserializationContext
    {
        public override int PayloadLength => frame.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])frame.Clone();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(frame);
    }

    private sealed class CapturingContext : SerializationContext
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public byte[]? Payload { get; private set; }

        public override IBufferWriter<byte> GetBufferWriter() => _buffer;

        public override void SetPayloadLength(int payloadLength) { }

        public override void Complete() => Payload = _buffer.WrittenSpan.ToArray();

        public override void Complete(byte[] payload) => Payload = payload;
    }
}
