using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Reads and writes Arc data in one content type for the inference protocol. Arc.Sdk brings JSON, MessagePack,
/// <c>text/plain</c> and <c>text/csv</c>; Arc.Serving adds PNG/JPEG images and <c>.npy</c>
/// (<see cref="ContentCodecs.Add"/>). A codec answers for the data types it knows and declines the rest.
/// </summary>
public interface IContentCodec
{
    /// <summary>The media type, lower case, without parameters (e.g. <c>image/png</c>).</summary>
    string ContentType { get; }

    /// <summary>Whether <see cref="Read{T}"/> can produce a <typeparamref name="T"/>.</summary>
    bool CanRead<T>() where T : class, IArcData<T>;

    /// <summary>Whether <see cref="Write{T}"/> can encode a <typeparamref name="T"/>.</summary>
    bool CanWrite<T>() where T : class, IArcData<T>;

    /// <summary>Decodes <paramref name="data"/>; <paramref name="contract"/> (the model's X contract, or null) may fix sizes.</summary>
    /// <exception cref="ArcFormatException">The bytes are not valid; the message says where.</exception>
    T Read<T>(ReadOnlyMemory<byte> data, ValueContract? contract) where T : class, IArcData<T>;

    /// <summary>Encodes <paramref name="value"/>.</summary>
    byte[] Write<T>(T value) where T : class, IArcData<T>;
}
