using MessagePack;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>A nullable value type: nil for <c>null</c>, otherwise the inner codec's form.</summary>
internal sealed class NullableCodec<T>(WireCodec<T> inner) : WireCodec<T?> where T : struct
{
    public override void Write(ref MessagePackWriter writer, T? value)
    {
        if (value is T present) inner.Write(ref writer, present);
        else writer.WriteNil();
    }

    public override T? Read(ref MessagePackReader reader, string path)
        => WireReader.TryReadNil(ref reader, path) ? null : inner.Read(ref reader, path);
}

/// <summary>A nullable reference type: nil for <c>null</c>, otherwise the inner codec's form.</summary>
internal sealed class OrNullCodec<T>(WireCodec<T> inner) : WireCodec<T?> where T : class
{
    public override void Write(ref MessagePackWriter writer, T? value)
    {
        if (value is null) writer.WriteNil();
        else inner.Write(ref writer, value);
    }

    public override T? Read(ref MessagePackReader reader, string path)
        => WireReader.TryReadNil(ref reader, path) ? null : inner.Read(ref reader, path);
}

/// <summary>An array: a MessagePack array of the elements' forms.</summary>
internal sealed class ArrayCodec<T>(WireCodec<T> element) : WireCodec<T[]>
{
    public override void Write(ref MessagePackWriter writer, T[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteArrayHeader(value.Length);
        foreach (var item in value)
            element.Write(ref writer, item);
    }

    public override T[] Read(ref MessagePackReader reader, string path) => ReadElements(element, ref reader, path);

    internal static T[] ReadElements(WireCodec<T> element, ref MessagePackReader reader, string path)
    {
        // The header check guarantees at least one byte per claimed element, so the allocation is bounded by the input.
        int count = WireReader.ReadArrayHeader(ref reader, path);
        var items = count == 0 ? [] : new T[count];
        // Elements are read at "path[]"; only an error pays for the element's own path ("path[3]").
        string elementPath = path + "[]";
        for (int i = 0; i < count; i++)
        {
            try
            {
                items[i] = element.Read(ref reader, elementPath);
            }
            catch (ArcFormatException e)
            {
                throw new ArcFormatException(WireReader.Reroot(e.Message, elementPath, WireReader.Element(path, i)), e);
            }
        }
        return items;
    }
}

/// <summary>An <see cref="IReadOnlyList{T}"/>: the same form as an array, read back as one.</summary>
internal sealed class ReadOnlyListCodec<T>(WireCodec<T> element) : WireCodec<IReadOnlyList<T>>
{
    public override void Write(ref MessagePackWriter writer, IReadOnlyList<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int count = value.Count;
        writer.WriteArrayHeader(count);
        for (int i = 0; i < count; i++)
            element.Write(ref writer, value[i]);
    }

    public override IReadOnlyList<T> Read(ref MessagePackReader reader, string path)
        => ArrayCodec<T>.ReadElements(element, ref reader, path);
}
