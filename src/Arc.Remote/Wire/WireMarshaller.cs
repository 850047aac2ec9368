using System.Buffers;
using Arc.Types;
using Grpc.Core;
using MessagePack;

namespace Arc.Remote;

/// <summary>Writes one message as MessagePack.</summary>
public delegate void WireWrite<T>(ref MessagePackWriter writer, T value);

/// <summary>Reads one message from MessagePack; throws for anything malformed.</summary>
public delegate T WireRead<T>(ref MessagePackReader reader);

/// <summary>
/// Builds gRPC marshallers over MessagePack writers and readers. Serialization encodes into pooled scratch memory and
/// hands gRPC the length first, so gRPC copies it once into the frame it sends; deserialization reads the transport's
/// payload sequence without copying it first. A payload that does not decode — truncated, mistyped, trailing bytes,
/// forged lengths — raises <see cref="RpcException"/> with <see cref="StatusCode.InvalidArgument"/> and a message
/// naming the message and what is wrong, so on a worker the call fails cleanly and the worker keeps serving.
/// </summary>
public static class WireMarshaller
{
    /// <summary>A marshaller for messages called <paramref name="name"/> (used in error messages).</summary>
    public static Marshaller<T> Create<T>(string name, WireWrite<T> write, WireRead<T> read) => new(
        (value, context) => Encode(value, context, write),
        context => Decode(name, context.PayloadAsReadOnlySequence(), read));

    /// <summary>
    /// Encodes <paramref name="value"/> into pooled scratch memory, then gives gRPC its length before its bytes: with
    /// the length known, gRPC copies the message once, straight into the frame it sends (see <see cref="PayloadScratch"/>).
    /// </summary>
    private static void Encode<T>(T value, SerializationContext context, WireWrite<T> write)
    {
        using var scratch = new PayloadScratch();
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

    /// <summary>Decodes exactly one <paramref name="name"/> message from <paramref name="payload"/>.</summary>
    public static T Decode<T>(string name, ReadOnlySequence<byte> payload, WireRead<T> read)
    {
        var reader = new MessagePackReader(payload);
        try
        {
            if (payload.IsEmpty) throw new ArcFormatException("the payload is empty");
            T value = read(ref reader);
            if (!reader.End)
                throw new ArcFormatException($"{payload.Length - reader.Consumed} unexpected bytes follow the message");
            return value;
        }
        catch (Exception e) when (IsDecodeError(e))
        {
            // Clipped: the error may quote the payload (a key, a string), and the detail travels as a header.
            throw new RpcException(new Status(StatusCode.InvalidArgument, StatusDetails.Clip(
                $"malformed '{name}' message ({payload.Length} bytes, stopped at byte {reader.Consumed}): {Describe(e)}")));
        }
    }

    /// <summary>The errors a MessagePack reader raises on malformed input (never on a bug in the caller's state).</summary>
    private static bool IsDecodeError(Exception e) => e is ArcFormatException
        or EndOfStreamException
        or MessagePackSerializationException
        or OverflowException
        or ArgumentException
        or InvalidOperationException
        or FormatException
        or InvalidCastException;

    private static string Describe(Exception e) => e switch
    {
        EndOfStreamException => "the payload is truncated (it ends inside a value)",
        _ => e.Message,
    };
}
