using System.Buffers;
using System.Text;

namespace Arc.Types;

/// <summary>Strict UTF-8 for wire strings: invalid bytes are a format error, never silently replaced.</summary>
internal static class WireText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes a string's bytes; false (and no text) when they are not valid UTF-8, for callers that name the field only then.</summary>
    public static bool TryDecode(ReadOnlySequence<byte> bytes, out string text)
    {
        try
        {
            text = bytes.IsSingleSegment ? Strict.GetString(bytes.FirstSpan) : Strict.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>Decodes a string's bytes, naming <paramref name="where"/> when they are not valid UTF-8.</summary>
    public static string Decode(ReadOnlySequence<byte> bytes, string where)
    {
        try
        {
            return bytes.IsSingleSegment ? Strict.GetString(bytes.FirstSpan) : Strict.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException e)
        {
            throw new ArcFormatException($"{where}: the string is not valid UTF-8", e);
        }
    }
}
