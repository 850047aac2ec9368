using System.Collections.Concurrent;
using MessagePack;
using MessagePack.Formatters;

namespace Arc.Types;

/// <summary>
/// Resolves MessagePack formatters for Arc data types from an explicit table — the built-in types plus those
/// added with <see cref="Register{T}"/> — never by scanning or reflection.
/// </summary>
public sealed class ArcResolver : IFormatterResolver
{
    private static readonly ConcurrentDictionary<Type, object> Formatters = new();

    /// <summary>The resolver (its table is global: registrations are seen by every user of it).</summary>
    public static ArcResolver Instance { get; } = new();

    static ArcResolver()
    {
        Register<ImageData>();
        Register<TextData>();
        Register<TableData>();
        Register<AudioData>();
        Register<VideoData>();
        Register<ClassData>();
        Register<LabelData>();
    }

    private ArcResolver() { }

    /// <summary>
    /// Adds a user data type. Register it before the first (de)serialization of <typeparamref name="T"/> through a
    /// given options object, because MessagePack caches each type's formatter on first use.
    /// </summary>
    public static void Register<T>() where T : IArcData<T> => Formatters[typeof(T)] = ArcDataFormatter<T>.Instance;

    /// <summary>True when <paramref name="type"/> has a formatter here.</summary>
    public static bool IsRegistered(Type type) => Formatters.ContainsKey(type);

    /// <inheritdoc />
    public IMessagePackFormatter<T>? GetFormatter<T>()
        => Formatters.TryGetValue(typeof(T), out var formatter) ? (IMessagePackFormatter<T>)formatter : null;
}
