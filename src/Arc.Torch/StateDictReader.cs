using System.Text;
using static TorchSharp.torch;

namespace Arc.Torch;

/// <summary>
/// Reads a state dict in TorchSharp's format (<c>Module.save</c>) and checks it against a module's own state dict
/// before anything is copied: every entry named once, no entry missing, each with the module's element type and
/// shape, and all of its bytes present. The result holds only managed bytes, so a failure leaves the module untouched.
/// </summary>
/// <remarks>
/// The format, as TorchSharp 0.107 writes it: the entry count (unsigned LEB128); then per entry the name
/// (<see cref="BinaryWriter.Write(string)"/>), the element type's <see cref="ScalarType"/> code, the number of
/// dimensions and each dimension (all unsigned LEB128), and the raw element bytes. TorchSharp's own <c>Module.load</c>
/// copies each entry into the module as soon as it has read it, which is why Arc reads the whole dict first.
/// Sizes are compared with the module's before any buffer is allocated, so a corrupted length cannot make it allocate more
/// than the module's own weights.
/// </remarks>
internal static class StateDictReader
{
    /// <summary>One checked entry: the module's tensor it belongs to and the bytes to copy into it.</summary>
    public readonly record struct Entry(string Name, Tensor Target, byte[] Bytes);

    /// <summary>
    /// Reads the whole dict from <paramref name="source"/> and matches it against <paramref name="expected"/> (the
    /// module's <c>state_dict()</c>); throws <see cref="InvalidDataException"/> naming the first entry that does not fit.
    /// </summary>
    public static IReadOnlyList<Entry> Read(Stream source, IReadOnlyDictionary<string, Tensor> expected)
    {
        using var reader = new BinaryReader(source, Encoding.UTF8, leaveOpen: true);
        try
        {
            return ReadEntries(reader, expected);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"they end early ({e.Message})", e);
        }
        catch (Exception e) when (e is IOException or FormatException or DecoderFallbackException)
        {
            // A name with an impossible length prefix or bytes that are no UTF-8.
            throw new InvalidDataException($"they are no TorchSharp state dict ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static List<Entry> ReadEntries(BinaryReader reader, IReadOnlyDictionary<string, Tensor> expected)
    {
        long count = ReadLength(reader, "the entry count");
        if (count != expected.Count)
            throw new InvalidDataException($"they hold {count} entries, the model has {expected.Count} ({Names(expected.Keys)})");

        var entries = new List<Entry>(expected.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            if (!expected.TryGetValue(name, out var target))
                throw new InvalidDataException(
                    $"entry {i} is named '{Printable(name)}', which the model does not have (it has {Names(expected.Keys)})");
            if (!seen.Add(name))
                throw new InvalidDataException($"parameter '{name}' appears twice");
            entries.Add(new Entry(name, target, ReadTensorBytes(reader, name, target)));
        }
        return entries;
    }

    private static byte[] ReadTensorBytes(BinaryReader reader, string name, Tensor target)
    {
        long dtypeCode = ReadLength(reader, $"the element type of '{name}'");
        if (dtypeCode != (long)target.dtype)
            throw new InvalidDataException(
                $"parameter '{name}' holds {TypeName(dtypeCode)} in the weights but {target.dtype} in the model");

        long[] shape = target.shape;
        long rank = ReadLength(reader, $"the number of dimensions of '{name}'");
        var dims = new List<long>();
        for (long d = 0; d < rank && d <= shape.Length; d++)
            dims.Add(ReadLength(reader, $"a dimension of '{name}'"));
        if (rank != shape.Length || !dims.SequenceEqual(shape))
            throw new InvalidDataException(
                $"parameter '{name}' has shape [{string.Join(", ", dims)}{(rank > dims.Count ? ", ..." : "")}] in the weights " +
                $"but [{string.Join(", ", shape)}] in the model");

        long length = target.NumberOfElements * target.ElementSize;
        if (length > Array.MaxLength)
            throw new InvalidDataException($"parameter '{name}' is larger ({length} bytes) than one load can carry");
        var bytes = reader.ReadBytes((int)length);
        if (bytes.Length != length)
            throw new InvalidDataException($"they end inside parameter '{name}': {bytes.Length} of its {length} bytes are there");
        return bytes;
    }

    /// <summary>An unsigned LEB128 number, as TorchSharp writes lengths and codes.</summary>
    private static long ReadLength(BinaryReader reader, string what)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException($"{what} is no valid number");
    }

    private static string TypeName(long code)
        => code is >= 0 and <= int.MaxValue && Enum.IsDefined((ScalarType)code) ? ((ScalarType)code).ToString() : $"element type code {code}";

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    /// <summary>A name read from damaged bytes, shortened and without control characters, for a message.</summary>
    private static string Printable(string name)
    {
        var clean = new string(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 80 ? clean : clean[..80] + "...";
    }
}
