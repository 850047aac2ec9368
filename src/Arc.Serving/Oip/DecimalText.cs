using System.Numerics;

namespace Arc.Serving;

/// <summary>
/// The exact fast path for reading a JSON number as <see cref="float"/> or <see cref="double"/> (Clinger's): when the
/// number's significant digits form an integer <c>m</c> that the type holds exactly and its decimal exponent <c>e</c> is
/// small enough that <c>10^|e|</c> is exact too, the nearest value of the type is one correctly rounded IEEE
/// multiplication or division, <c>m × 10^e</c> or <c>m ÷ 10^-e</c>. Every other number (long mantissas, large
/// exponents) returns false and is left to the general parser. The text is a number JSON's grammar allows, which the
/// reader has checked already.
/// </summary>
internal static class DecimalText
{
    // Powers of ten a float holds exactly (5^10 < 2^24) and a double holds exactly (5^22 < 2^53).
    private static readonly float[] SinglePowers = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];
    private static readonly double[] DoublePowers =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The float nearest to <paramref name="text"/>, when the fast path can give it exactly.</summary>
    public static bool TryParseSingle(ReadOnlySpan<byte> text, out float value) => TryParse(text, 1UL << 24, SinglePowers, out value);

    /// <summary>The double nearest to <paramref name="text"/>, when the fast path can give it exactly.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value) => TryParse(text, 1UL << 53, DoublePowers, out value);

    /// <summary>
    /// <c>m × 10^e</c> or <c>m ÷ 10^-e</c> in <typeparamref name="T"/>, when <c>m</c> is at most
    /// <paramref name="largestExact"/> (every integer up to it is a <typeparamref name="T"/>) and <c>10^|e|</c> is in
    /// <paramref name="powers"/>: both operands exact, so the one rounding is the correct one.
    /// </summary>
    private static bool TryParse<T>(ReadOnlySpan<byte> text, ulong largestExact, T[] powers, out T value)
        where T : IBinaryFloatingPointIeee754<T>
    {
        value = T.Zero;
        if (!TryScan(text, out bool negative, out ulong mantissa, out int exponent)
            || mantissa > largestExact || Math.Abs(exponent) >= powers.Length) return false;
        T exact = T.CreateTruncating(mantissa);
        T magnitude = exponent < 0 ? exact / powers[-exponent] : exact * powers[exponent];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    /// <summary>
    /// Splits a JSON number into its sign, its digits as one integer and the power of ten that scales it
    /// (<c>"-0.125"</c> → −, 125, −3); false for more than 19 digits or an exponent of more than four digits.
    /// </summary>
    private static bool TryScan(ReadOnlySpan<byte> text, out bool negative, out ulong mantissa, out int exponent)
    {
        mantissa = 0;
        exponent = 0;
        int i = 0, digits = 0;
        negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative) i++;
        for (; i < text.Length && IsDigit(text[i]); i++)
        {
            // Leading zeros ("0.001") count for nothing; a 20th significant digit could overflow the integer.
            if (mantissa == 0 && text[i] == (byte)'0') continue;
            if (++digits > 19) return false;
            mantissa = mantissa * 10 + (uint)(text[i] - '0');
        }
        if (i < text.Length && text[i] == (byte)'.')
        {
            for (i++; i < text.Length && IsDigit(text[i]); i++)
            {
                exponent--;
                if (mantissa == 0 && text[i] == (byte)'0') continue;
                if (++digits > 19) return false;
                mantissa = mantissa * 10 + (uint)(text[i] - '0');
            }
        }
        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            bool negativeExponent = i < text.Length && text[i] == (byte)'-';
            if (i < text.Length && text[i] is (byte)'-' or (byte)'+') i++;
            int written = 0, start = i;
            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                if (i - start >= 4) return false;
                written = written * 10 + (text[i] - '0');
            }
            exponent += negativeExponent ? -written : written;
        }
        if (mantissa == 0) exponent = 0; // zero is zero at any scale ("0e400", "0.000")
        return i == text.Length && i > (negative ? 1 : 0);
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
