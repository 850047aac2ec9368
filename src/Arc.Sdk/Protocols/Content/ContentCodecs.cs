using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The content codecs every <see cref="InferenceModule{TModel, X, Y}"/> uses, in order of preference: JSON (the
/// default answer), MessagePack, text and CSV from Arc.Sdk, then what <see cref="Add"/> contributed (Arc.Serving adds
/// images and <c>.npy</c> when a server starts, or when a program calls <c>ServingCodecs.Register()</c>).
/// </summary>
public static class ContentCodecs
{
    private static readonly Lock Gate = new();
    private static IContentCodec[] _all = [new JsonContentCodec(), new MessagePackContentCodec(), new TextContentCodec(), new CsvContentCodec()];

    /// <summary>Every codec, in order of preference.</summary>
    public static IReadOnlyList<IContentCodec> All => Volatile.Read(ref _all);

    /// <summary>Adds <paramref name="codec"/>, replacing one with the same content type (so adding twice is harmless).</summary>
    public static void Add(IContentCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        lock (Gate)
        {
            var list = _all.ToList();
            int existing = list.FindIndex(c => c.ContentType == codec.ContentType);
            if (existing >= 0) list[existing] = codec;
            else list.Add(codec);
            Volatile.Write(ref _all, list.ToArray());
        }
    }

    /// <summary>The content types that can be read as <typeparamref name="T"/>.</summary>
    public static IReadOnlyList<string> Readable<T>() where T : class, IArcData<T>
        => All.Where(c => c.CanRead<T>()).Select(c => c.ContentType).ToArray();

    /// <summary>The content types a <typeparamref name="T"/> can be written as, the default first.</summary>
    public static IReadOnlyList<string> Writable<T>() where T : class, IArcData<T>
        => All.Where(c => c.CanWrite<T>()).Select(c => c.ContentType).ToArray();

    /// <summary>Decodes <paramref name="data"/> of <paramref name="contentType"/> as a <typeparamref name="T"/>.</summary>
    /// <exception cref="UnsupportedContentTypeException">No codec reads that content type as <typeparamref name="T"/>.</exception>
    /// <exception cref="ArcFormatException">The bytes are not valid.</exception>
    public static T Read<T>(ReadOnlyMemory<byte> data, string contentType, ValueContract? contract = null) where T : class, IArcData<T>
    {
        string media = ContentTypes.MediaTypeOf(contentType ?? ContentTypes.OctetStream);
        foreach (var codec in All)
            if (codec.ContentType == media && codec.CanRead<T>())
                return codec.Read<T>(data, contract);
        throw new UnsupportedContentTypeException(media, Readable<T>());
    }

    /// <summary>Encodes <paramref name="value"/> in the best type <paramref name="accepted"/> allows.</summary>
    /// <exception cref="NotAcceptableContentTypeException">No type <typeparamref name="T"/> can be written as is acceptable.</exception>
    public static (byte[] Bytes, string ContentType) Write<T>(T value, string? accepted) where T : class, IArcData<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        var offered = Writable<T>();
        string chosen = ContentTypes.Negotiate(accepted, offered) ?? throw new NotAcceptableContentTypeException(accepted ?? "", offered);
        var codec = All.First(c => c.ContentType == chosen && c.CanWrite<T>());
        return (codec.Write(value), chosen);
    }
}
