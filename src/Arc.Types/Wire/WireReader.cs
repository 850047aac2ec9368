using System.Buffers;
using MessagePack;

namespace Arc.Types;

/// <summary>
/// The one reader of Arc's MessagePack from untrusted bytes: the data types' wire form, the worker protocol's messages,
/// hyperparameters, job parameters, pod arguments and results all read through it, so they share one policy.
/// </summary>
/// <remarks>
/// <para><b>Lengths.</b> Every declared length is compared with the bytes that remain <em>before</em> anything is
/// allocated: an array needs at least one byte per element, a map two per entry, a string or bin its whole length. A
/// forged 4 GB header in a 50-byte payload is an error, so what a reader allocates stays a small multiple of the
/// payload it was given (whose size the transport limits).</para>
/// <para><b>Depth.</b> Values whose shape the reader does not know — the value of an unknown key, a pod's raw
/// arguments — are walked at most <see cref="WireLimits.MaxDepth"/> levels deep, so nesting cannot exhaust the stack.
/// Everything else nests only as deep as the reading code does.</para>
/// <para><b>Errors.</b> Every failure is an <see cref="ArcFormatException"/> whose message is <c>path: problem</c>, the
/// path naming the value (<c>image.shape[1]</c>, <c>x.data</c>, <c>pods[2].name</c>). <see cref="ReadPayload{T}(ReadOnlySequence{byte}, string, WireRead{T})"/>
/// reads one whole payload and wraps any of them as <c>malformed &lt;what&gt; (&lt;n&gt; bytes, stopped at byte
/// &lt;k&gt;): path: problem</c>.</para>
/// </remarks>
public static partial class WireReader
{
    /// <summary>
    /// Reads exactly one value from <paramref name="payload"/> with <paramref name="read"/>: an empty payload, anything
    /// <paramref name="read"/> throws on malformed input, and bytes after the value all become one
    /// <see cref="ArcFormatException"/> of the shape <c>malformed &lt;what&gt; (&lt;n&gt; bytes, stopped at byte &lt;k&gt;): …</c>.
    /// </summary>
    /// <param name="payload">The untrusted bytes.</param>
    /// <param name="what">What the payload should hold, as the message names it: <c>'image'</c>, <c>'fit request'</c>,
    /// <c>hyperparameters of model 'mlp'</c>.</param>
    /// <param name="read">Reads the value.</param>
    public static T ReadPayload<T>(ReadOnlySequence<byte> payload, string what, WireRead<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var reader = new MessagePackReader(payload);
        try
        {
            if (payload.IsEmpty) throw new ArcFormatException("the payload is empty");
            T value = read(ref reader);
            if (!reader.End)
                throw new ArcFormatException($"{payload.Length - reader.Consumed} unexpected bytes follow the value");
            return value;
        }
        catch (Exception e) when (IsDecodeError(e))
        {
            throw new ArcFormatException($"malformed {what} ({payload.Length} bytes, stopped at byte {reader.Consumed}): {Describe(e)}", e);
        }
    }

    /// <inheritdoc cref="ReadPayload{T}(ReadOnlySequence{byte}, string, WireRead{T})"/>
    public static T ReadPayload<T>(ReadOnlyMemory<byte> payload, string what, WireRead<T> read)
        => ReadPayload(new ReadOnlySequence<byte>(payload), what, read);

    /// <summary>
    /// Reads an Arc data value at <paramref name="path"/> inside a larger message. The type's own reader names its
    /// fields from its tag (<c>image.data</c>); here they are named from where the value sits (<c>x.data</c>).
    /// </summary>
    public static T ReadData<T>(ref MessagePackReader reader, string path) where T : IArcData<T>
    {
        try
        {
            return T.ReadWire(ref reader);
        }
        catch (Exception e) when (IsDecodeError(e))
        {
            throw new ArcFormatException(Reroot(Describe(e), T.WireTag, path), e);
        }
    }

    /// <summary>The error <c>path: problem</c> (just <c>problem</c> at the root, whose path is empty).</summary>
    public static ArcFormatException Error(string path, string problem)
        => new(path.Length == 0 ? problem : $"{path}: {problem}");

    /// <summary>The error <c>path: problem</c>, wrapping the lower-level error that revealed it.</summary>
    public static ArcFormatException Error(string path, string problem, Exception inner)
        => new(path.Length == 0 ? problem : $"{path}: {problem}", inner);

    /// <summary>The path of <paramref name="key"/> inside the map at <paramref name="path"/> (<c>x</c> at the root, <c>x.data</c> below).</summary>
    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>The path of element <paramref name="index"/> of the array at <paramref name="path"/>.</summary>
    public static string Element(string path, int index) => $"{path}[{index}]";

    /// <summary>
    /// Moves an error raised at <paramref name="from"/> (or below it) to <paramref name="to"/>: <c>image.data: …</c>
    /// read where <c>x</c> sits becomes <c>x.data: …</c>; a message with no such path (a user type's own words) is
    /// put under <paramref name="to"/>.
    /// </summary>
    public static string Reroot(string message, string from, string to)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(from);
        if (string.IsNullOrEmpty(to)) return message;
        if (message.StartsWith(from, StringComparison.Ordinal) && message.Length > from.Length && message[from.Length] is '.' or '[' or ':')
            return to + message[from.Length..];
        return $"{to}: {message}";
    }

    /// <summary>Throws unless the next value has MessagePack type <paramref name="type"/>; <paramref name="what"/> says what belongs there.</summary>
    public static void Expect(ref MessagePackReader reader, MessagePackType type, string path, string what)
    {
        if (reader.End) throw Error(path, $"the payload ends where {what} was expected");
        var next = reader.NextMessagePackType;
        if (next != type) throw WrongType(path, what, next);
    }

    /// <summary>The error for a value of the wrong MessagePack type: <c>path: expected what but found actual</c>.</summary>
    public static ArcFormatException WrongType(string path, string what, MessagePackType actual)
        => Error(path, $"expected {what} but found {Describe(actual)}");

    /// <summary>The error for a required key that the map at <paramref name="path"/> does not contain.</summary>
    public static ArcFormatException MissingKey(string path, string key) => Error(path, $"the required key '{key}' is missing");

    /// <summary>Describes a MessagePack type for an error message.</summary>
    public static string Describe(MessagePackType type) => type switch
    {
        MessagePackType.Nil => "nil",
        MessagePackType.Integer => "an integer",
        MessagePackType.Boolean => "a boolean",
        MessagePackType.Float => "a float",
        MessagePackType.String => "a string",
        MessagePackType.Binary => "a bin",
        MessagePackType.Array => "an array",
        MessagePackType.Map => "a map",
        MessagePackType.Extension => "an extension",
        _ => "an invalid byte",
    };

    /// <summary>
    /// The exceptions malformed input provokes — ours, and those of MessagePack's reader or of a user type's reader —
    /// all of which become <see cref="ArcFormatException"/>; never a bug in the caller's state.
    /// </summary>
    internal static bool IsDecodeError(Exception e) => e is ArcFormatException
        or EndOfStreamException
        or MessagePackSerializationException
        or OverflowException
        or ArgumentException
        or InvalidOperationException
        or FormatException
        or InvalidCastException;

    private static string Describe(Exception e) => e switch
    {
        ArcFormatException => e.Message,
        EndOfStreamException => "the payload is truncated (it ends inside a value)",
        OverflowException => $"a number or length is out of range ({e.Message})",
        MessagePackSerializationException => $"not valid MessagePack ({e.Message})",
        _ => e.Message,
    };
}
