using Arc.Types;

namespace Arc.Sdk;

/// <summary><c>application/json</c>: Arc's JSON form (<see cref="ArcJson"/>) of any data type that has one.</summary>
internal sealed class JsonContentCodec : IContentCodec
{
    public string ContentType => ContentTypes.Json;

    public bool CanRead<T>() where T : class, IArcData<T> => HasJsonForm<T>();

    public bool CanWrite<T>() where T : class, IArcData<T> => HasJsonForm<T>();

    public T Read<T>(ReadOnlyMemory<byte> data, ValueContract? contract) where T : class, IArcData<T> => ArcJson.Deserialize<T>(data);

    public byte[] Write<T>(T value) where T : class, IArcData<T> => ArcJson.SerializeToUtf8Bytes(value);

    private static bool HasJsonForm<T>() => ArcJson.Options.Converters.Any(c => c.CanConvert(typeof(T)));
}
