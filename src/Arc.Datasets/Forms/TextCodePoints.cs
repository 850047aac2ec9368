using System.Buffers.Binary;

namespace Arc.Datasets;

/// <summary>
/// Strings as NumPy's fixed-width text (<c>&lt;U<i>w</i></c>): <i>w</i> little-endian UTF-32 code points per element,
/// padded with zeros. Every .NET string survives the round trip, unpaired surrogates included (they are written as
/// their own code point, as Python would hold them), except one that ends in U+0000: NumPy strips trailing zeros,
/// so such a text is refused when written.
/// </summary>
internal static class TextCodePoints
{
    /// <summary>Code points in <paramref name="text"/> (a surrogate pair is one).</summary>
    public static int Count(string text)
    {
        int count = 0;
        for (int i = 0; i < text.Length; i++, count++)
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
        return count;
    }

    /// <summary>Throws when <paramref name="text"/> cannot be kept (see the class remarks); <paramref name="what"/> names it.</summary>
    public static void Check(string text, string what)
    {
        if (text.EndsWith('\0'))
            throw new ArgumentException($"{what} ends with U+0000, which NumPy's fixed-width text drops; it cannot be stored without loss");
    }

    /// <summary>Writes <paramref name="text"/> into <paramref name="element"/> (4 bytes per code point, zero-padded).</summary>
    public static void Write(string text, Span<byte> element)
    {
        element.Clear();
        int at = 0;
        for (int i = 0; i < text.Length; i++, at += 4)
        {
            int code = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                code = char.ConvertToUtf32(text[i], text[++i]);
            BinaryPrimitives.WriteUInt32LittleEndian(element[at..], (uint)code);
        }
    }

    /// <summary>The text in <paramref name="element"/>, trailing zeros dropped.</summary>
    /// <exception cref="FormatException">A code point beyond U+10FFFF.</exception>
    public static string Read(ReadOnlySpan<byte> element)
    {
        int end = element.Length / 4;
        while (end > 0 && BinaryPrimitives.ReadUInt32LittleEndian(element[((end - 1) * 4)..]) == 0) end--;
        var chars = new char[end * 2];
        int length = 0;
        for (int i = 0; i < end; i++)
        {
            uint code = BinaryPrimitives.ReadUInt32LittleEndian(element[(i * 4)..]);
            if (code > 0x10FFFF) throw new FormatException($"code point {code:x} is beyond Unicode");
            if (code >= 0x10000)
            {
                char.ConvertFromUtf32((int)code).CopyTo(chars.AsSpan(length));
                length += 2;
            }
            else chars[length++] = (char)code;
        }
        return new string(chars, 0, length);
    }
}
