using System.Buffers.Text;

namespace Arc.Serving;

/// <summary>
/// Reads a JSON array of numbers (flat or nested, row-major) from its UTF-8 text straight into a typed array, in one
/// pass over the bytes: the fast path for an Open Inference Protocol tensor's <c>data</c>, which is nearly all of a
/// JSON infer request (784 numbers in a digit). Going through <c>Utf8JsonReader</c> or <c>JsonDocument</c> costs
/// several times as much per number, because they make a token of each one.
/// </summary>
/// <remarks>
/// The fast path takes only what it can read exactly and returns false on anything else — a value that is not a
/// number or not of the element type, more or fewer values than the array holds, text that is not JSON, nesting
/// deeper than allowed — so that the caller reads the same array the general way and refuses it with the message
/// that names the value. It never reports an error itself, so the two paths cannot disagree on one.
/// Every value is parsed as <see cref="System.Text.Json.Utf8JsonReader"/> would parse it (<see cref="INumberText{T}"/>), so both paths
/// give the same bits.
/// </remarks>
internal static class OipNumberArray
{
    /// <summary>
    /// Fills <paramref name="into"/> from the array whose <c>[</c> ends just before <paramref name="start"/>, and gives
    /// the index of its closing <c>]</c> in <paramref name="end"/>; false unless the array is well-formed JSON, every
    /// value is a number of <typeparamref name="T"/>, there are exactly <c>into.Length</c> of them and arrays nest at
    /// most <paramref name="maxDepth"/> deep (the outer one counts as one).
    /// </summary>
    public static bool TryRead<T, TText>(ReadOnlySpan<byte> json, int start, int maxDepth, Span<T> into, out int end)
        where TText : INumberText<T>
    {
        end = -1;
        int i = start, depth = 1, count = 0;
        bool afterValue = false; // a number or a closed array was the last thing read: ',' or ']' comes next
        bool afterComma = false; // a value must come next: ']' would be a trailing comma
        while (true)
        {
            i = SkipWhitespace(json, i);
            if (i >= json.Length) return false;
            byte next = json[i];
            if (afterValue)
            {
                if (next == (byte)',')
                {
                    afterValue = false;
                    afterComma = true;
                    i++;
                    continue;
                }
                if (next != (byte)']') return false;
            }
            else if (next == (byte)'[')
            {
                if (++depth > maxDepth) return false;
                afterComma = false;
                i++;
                continue;
            }
            else if (next != (byte)']')
            {
                int length = NumberLength(json, i);
                if (length == 0 || count == into.Length || !TText.TryParse(json.Slice(i, length), out into[count])) return false;
                count++;
                i += length;
                afterValue = true;
                continue;
            }
            else if (afterComma) return false;

            // A ']' that closes an array (an empty one when nothing came after its '[').
            if (--depth == 0)
            {
                end = i;
                return count == into.Length;
            }
            i++;
            afterValue = true;
            afterComma = false;
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') i++;
        return i;
    }

    /// <summary>The length of the JSON number at <paramref name="start"/> (RFC 8259's grammar); 0 when there is none.</summary>
    private static int NumberLength(ReadOnlySpan<byte> json, int start)
    {
        int i = start;
        if (i < json.Length && json[i] == (byte)'-') i++;
        if (i >= json.Length) return 0;
        if (json[i] == (byte)'0') i++;
        else if (IsNonZeroDigit(json[i])) i = SkipDigits(json, i + 1);
        else return 0;
        if (i < json.Length && json[i] == (byte)'.')
        {
            int fraction = ++i;
            i = SkipDigits(json, i);
            if (i == fraction) return 0;
        }
        if (i < json.Length && (json[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-') i++;
            int digits = i;
            i = SkipDigits(json, i);
            if (i == digits) return 0;
        }
        return i - start;
    }

    private static int SkipDigits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && (uint)(json[i] - '0') <= 9) i++;
        return i;
    }

    private static bool IsNonZeroDigit(byte b) => (uint)(b - '1') <= 8;
}

/// <summary>How one element type reads a JSON number's text: exactly as <see cref="System.Text.Json.JsonElement"/>'s <c>TryGet…</c> does.</summary>
internal interface INumberText<T>
{
    /// <summary>The value of <paramref name="number"/> (a whole JSON number), or false when it is not one of <typeparamref name="T"/>.</summary>
    static abstract bool TryParse(ReadOnlySpan<byte> number, out T value);
}

/// <summary>FP32: the exact short-decimal path first (<see cref="DecimalText"/>), else the general parser; never infinite.</summary>
internal readonly struct SingleText : INumberText<float>
{
    public static bool TryParse(ReadOnlySpan<byte> number, out float value)
        => DecimalText.TryParseSingle(number, out value)
            || (Utf8Parser.TryParse(number, out value, out int used) && used == number.Length && float.IsFinite(value));
}

/// <summary>FP64: the exact short-decimal path first (<see cref="DecimalText"/>), else the general parser; never infinite.</summary>
internal readonly struct DoubleText : INumberText<double>
{
    public static bool TryParse(ReadOnlySpan<byte> number, out double value)
        => DecimalText.TryParseDouble(number, out value)
            || (Utf8Parser.TryParse(number, out value, out int used) && used == number.Length && double.IsFinite(value));
}

/// <summary>INT32: a whole number in range, nothing after it ("2.0" and "1e3" are not).</summary>
internal readonly struct Int32Text : INumberText<int>
{
    public static bool TryParse(ReadOnlySpan<byte> number, out int value)
        => Utf8Parser.TryParse(number, out value, out int used) && used == number.Length;
}

/// <summary>INT64: a whole number in range, nothing after it.</summary>
internal readonly struct Int64Text : INumberText<long>
{
    public static bool TryParse(ReadOnlySpan<byte> number, out long value)
        => Utf8Parser.TryParse(number, out value, out int used) && used == number.Length;
}

/// <summary>UINT8: a whole number from 0 to 255, nothing after it.</summary>
internal readonly struct ByteText : INumberText<byte>
{
    public static bool TryParse(ReadOnlySpan<byte> number, out byte value)
        => Utf8Parser.TryParse(number, out value, out int used) && used == number.Length;
}
