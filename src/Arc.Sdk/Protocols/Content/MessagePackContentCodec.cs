using Arc.Types;

namespace Arc.Sdk;

/// <summary><c>application/x-msgpack</c>: the wire form (<see cref="ArcWire"/>), which every data type has.</summary>
internal sealed class MessagePackContentCodec : IContentCodec
{
    public string ContentType => ContentTypes.MessagePack;

    public bool CanRead<T>() where T : class, IArcData<T> => true;

    public bool CanWrite<T>() where T : class, IArcData<T> => true;

    public T Read<T>(ReadOnlyMemory<byte> data, ValueContract? contract) where T : class, IArcData<T> => ArcWire.Deserialize<T>(data);

    public byte[] Write<T>(T value) where T : class, IArcData<T> => ArcWire.Serialize(value);
}
