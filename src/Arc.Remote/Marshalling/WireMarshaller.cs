using System.Buffers;
using Grpc.Core;
using MessagePack;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// Builds gRPC marshallers over MessagePack writers and readers. Serialization encodes into pooled memory and hands
/// gRPC the length first, so gRPC copies it once into the frame it sends; deserialization reads the transport's payload
/// sequence with <see cref="WireReader"/>, without copying it first. A payload that does not decode — truncated,
/// mistyped, trailing bytes, forged lengths, nested too deep — raises <see cref="RpcException"/> with
/// <see cref="StatusCode.InvalidArgument"/> and <see cref="WireReader"/>'s message
/// (<c>malformed 'fit request' (n bytes, stopped at byte k): x.data: …</c>), so on a worker the call fails cleanly and
/// the worker keeps serving.
/// </summary>
public static class WireMarshaller
{
    /// <summary>A marshaller for messages called <paramref name="name"/> (used in error messages).</summary>
    public static Marshaller<T> Create<T>(string name, WireWrite<T> write, WireRead<T> read)
    {
        string what = $"'{name}'";
        return new((value, context) => Encode(value, context, write), context => DecodeAs(what, context.PayloadAsReadOnlySequence(), read));
    }

    /// <summary>Decodes exactly one <paramref name="name"/> message from <paramref name="payload"/>.</summary>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/>: the payload is not one well-formed message.</exception>
    public static T Decode<T>(string name, ReadOnlySequence<byte> payload, WireRead<T> read) => DecodeAs($"'{name}'", payload, read);

    /// <summary>
    /// Encodes <paramref name="value"/> into pooled memory, then gives gRPC its length before its bytes: with the length
    /// known, gRPC copies the message once, straight into the frame it sends (see <see cref="PooledBufferWriter"/>).
    /// </summary>
    private static void Encode<T>(T value, SerializationContext context, WireWrite<T> write)
    {
        using var scratch = new PooledBufferWriter();
        var writer = new MessagePackWriter(scratch);
        write(ref writer, value);
        writer.Flush();
        var payload = scratch.WrittenSpan;
        context.SetPayloadLength(payload.Length);
        var output = context.GetBufferWriter();
        // Write copies in as many spans as the writer hands out (a pipe's are segment-sized).
        output.Write(payload);
        context.Complete();
    }

    private static T DecodeAs<T>(string what, ReadOnlySequence<byte> payload, WireRead<T> read)
    {
        try
        {
            return WireReader.ReadPayload(payload, what, read);
        }
        catch (ArcFormatException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, StatusDetails.Clip(e.Message)));
        }
    }
}
