using System.Globalization;
using System.Text;

namespace Arc.Serving.Tests;

/// <summary>
/// The fast path for JSON numbers gives exactly what the general parser gives, bit for bit, whenever it answers, and
/// leaves to the general parser what it cannot read exactly.
/// </summary>
public sealed class DecimalTextTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("0.000")]
    [InlineData("1")]
    [InlineData("0.1")]
    [InlineData("0.118")]
    [InlineData("-2.5")]
    [InlineData("3e2")]
    [InlineData("1E-3")]
    [InlineData("7.25e+1")]
    [InlineData("16777216")]
    [InlineData("0.0000000001")]
    [InlineData("1e10")]
    public void Short_decimals_are_read_as_the_general_parser_reads_them(string text)
    {
        Assert.True(DecimalText.TryParseSingle(Utf8(text), out float single));
        Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(single));
        Assert.True(DecimalText.TryParseDouble(Utf8(text), out double @double));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(@double));
    }

    [Theory]
    [InlineData("16777217")]            // past 2^24: not every such integer is a float
    [InlineData("1e11")]                // 10^11 is not a float
    [InlineData("1e-11")]
    [InlineData("12345678901234567890")] // 20 digits
    [InlineData("1e99999")]
    public void What_the_fast_path_cannot_read_exactly_is_left_to_the_general_parser(string text)
        => Assert.False(DecimalText.TryParseSingle(Utf8(text), out _));

    [Fact]
    public void Doubles_take_longer_mantissas_and_larger_exponents()
    {
        foreach (var text in new[] { "16777217", "1e22", "1e-22", "9007199254740992", "0.1234567890123" })
        {
            Assert.True(DecimalText.TryParseDouble(Utf8(text), out double value), text);
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
        }
        Assert.False(DecimalText.TryParseDouble(Utf8("9007199254740993"), out _));
        Assert.False(DecimalText.TryParseDouble(Utf8("1e23"), out _));
    }

    [Fact]
    public void A_hundred_thousand_random_decimals_agree_with_the_general_parser_bit_for_bit()
    {
        var random = new Random(16);
        int fast = 0;
        for (int i = 0; i < 100_000; i++)
        {
            // Pixel-like values with 1 to 9 decimals, some scaled by an exponent, some negative, some integers.
            string text = (random.Next(4)) switch
            {
                0 => Math.Round(random.NextDouble(), random.Next(1, 10)).ToString("R", CultureInfo.InvariantCulture),
                1 => (-random.NextDouble() * 1000).ToString("F" + random.Next(0, 8), CultureInfo.InvariantCulture),
                2 => $"{random.Next(1, 100_000)}e{random.Next(-14, 14)}",
                _ => random.Next(-20_000_000, 20_000_000).ToString(CultureInfo.InvariantCulture),
            };
            if (DecimalText.TryParseSingle(Utf8(text), out float single))
            {
                fast++;
                Assert.True(BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)) == BitConverter.SingleToInt32Bits(single), text);
            }
            if (DecimalText.TryParseDouble(Utf8(text), out double @double))
                Assert.True(double.Parse(text, CultureInfo.InvariantCulture) == @double, text);
        }
        Assert.True(fast > 70_000, $"only {fast} of 100,000 took the fast path");
    }
}
