using System.Globalization;
using System.Text;
using System.Text.Json;
using Arc.Types;

namespace Arc.Serving.Tests;

/// <summary>
/// The one-pass reader of a tensor's number array gives what the element path (<see cref="OipJsonData"/> over a
/// <see cref="JsonDocument"/>) gives, bit for bit, and takes nothing it cannot read exactly: every text that is not a
/// well-formed array of numbers of the type, with the expected count, is left to the element path.
/// </summary>
public sealed class OipNumberArrayTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>The fast path over <paramref name="json"/> (which starts with its '['), or null when it declines.</summary>
    private static T[]? Fast<T, TText>(string json, int count, int maxDepth = 63) where TText : INumberText<T>
    {
        byte[] text = Utf8(json);
        var into = new T[count];
        if (!OipNumberArray.TryRead<T, TText>(text, 1, maxDepth, into, out int end)) return null;
        Assert.Equal(json.TrimEnd().Length - 1, end); // the outer ']'
        return into;
    }

    private static T[] Taken<T, TText>(string json, int count, int maxDepth = 63) where TText : INumberText<T>
        => Fast<T, TText>(json, count, maxDepth) ?? throw new Xunit.Sdk.XunitException($"the fast path declined {json}");

    private static T[] Slow<T>(string json, ArcDType dtype, int count) where T : unmanaged
        => OipJsonData.Numbers(JsonDocument.Parse(json).RootElement, dtype, [count], count, "inputs[0]").ToArray<T>();

    [Fact]
    public void Floats_short_long_and_beside_a_midpoint_read_the_same_bits_as_the_element_path()
    {
        var random = new Random(11);
        // Just below and above the midpoint between two floats (1 + 3·2^-24): read through a double first, both
        // would land on the midpoint and round to even, the first one wrongly.
        var texts = new List<string> { "1.0000001788139343261718749", "1.0000001788139343261718751" };
        for (int i = 0; i < 20_000; i++)
        {
            texts.Add((i % 4) switch
            {
                0 => Math.Round(random.NextDouble(), 3).ToString("R", CultureInfo.InvariantCulture),        // "0.529"
                1 => random.NextDouble().ToString("R", CultureInfo.InvariantCulture),                       // 17 digits, as Python writes a double
                2 => (random.NextDouble() * 2 - 1).ToString("E9", CultureInfo.InvariantCulture),            // "-5.123456789E-001"
                _ => ((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-50, 38))).ToString("R", CultureInfo.InvariantCulture), // within FP32's range, down to its subnormals
            });
        }
        string json = "[" + string.Join(",", texts) + "]";
        var floats = Fast<float, SingleText>(json, texts.Count)
            ?? throw new Xunit.Sdk.XunitException("the fast path declined plain floats");
        Assert.Equal(Slow<float>(json, ArcDType.Float32, texts.Count).Select(BitConverter.SingleToInt32Bits), floats.Select(BitConverter.SingleToInt32Bits));
        var doubles = Fast<double, DoubleText>(json, texts.Count)
            ?? throw new Xunit.Sdk.XunitException("the fast path declined plain doubles");
        Assert.Equal(Slow<double>(json, ArcDType.Float64, texts.Count).Select(BitConverter.DoubleToInt64Bits), doubles.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Whole_numbers_read_as_the_element_path_reads_them()
    {
        string longs = "[0, -0, 1, -1, 9223372036854775807, -9223372036854775808, 9007199254740993]";
        Assert.Equal(Slow<long>(longs, ArcDType.Int64, 7), Fast<long, Int64Text>(longs, 7));
        string ints = "[2147483647, -2147483648, 0, 17]";
        Assert.Equal(Slow<int>(ints, ArcDType.Int32, 4), Fast<int, Int32Text>(ints, 4));
        string bytes = "[0, 1, 254, 255]";
        Assert.Equal(Slow<byte>(bytes, ArcDType.UInt8, 4), Fast<byte, ByteText>(bytes, 4));
    }

    [Theory]
    [InlineData("[[0.5, -2], [3e2, 4]]")]
    [InlineData("[ [ [0.5] , [-2] ] ,\n\t[ [3e2] , [4] ]\r\n]")]
    [InlineData("[0.5,-2,3e2,4]")]
    [InlineData("[[], [0.5, -2], [[]], [3e2, 4], []]")]
    public void Nesting_and_white_space_are_read_through(string json)
        => Assert.Equal([0.5f, -2f, 300f, 4f], Taken<float, SingleText>(json, 4));

    [Fact]
    public void An_empty_array_is_zero_values()
        => Assert.Empty(Taken<float, SingleText>("[]", 0));

    [Theory]
    [InlineData("[1, 2, 3]")]          // fewer values than expected
    [InlineData("[1, 2, 3, 4, 5]")]    // more
    [InlineData("[1, 2, 3, 4,]")]      // trailing comma
    [InlineData("[1, 2, , 4]")]
    [InlineData("[1 2, 3, 4]")]        // missing comma
    [InlineData("[01, 2, 3, 4]")]      // leading zero
    [InlineData("[1., 2, 3, 4]")]      // no digit after the point
    [InlineData("[.5, 2, 3, 4]")]
    [InlineData("[1e, 2, 3, 4]")]      // no exponent digits
    [InlineData("[+1, 2, 3, 4]")]
    [InlineData("[-, 2, 3, 4]")]
    [InlineData("[1, \"2\", 3, 4]")]   // a string
    [InlineData("[1, null, 3, 4]")]
    [InlineData("[1, true, 3, 4]")]
    [InlineData("[1, {}, 3, 4]")]
    [InlineData("[1, NaN, 3, 4]")]
    [InlineData("[1, Infinity, 3, 4]")]
    [InlineData("[1, 1e39, 3, 4]")]    // beyond FP32: the element path names it
    [InlineData("[[1, 2], [3, 4]")]    // unclosed
    [InlineData("[1, 2, 3, 4")]
    [InlineData("[1, 2, 3, 4 /* c */]")]
    [InlineData("[1, 2, 3, 0x4]")]
    public void Anything_but_exactly_the_expected_numbers_is_declined(string json)
        => Assert.Null(Fast<float, SingleText>(json, 4));

    [Theory]
    [InlineData("[1, 2.5]")]
    [InlineData("[1, 1e3]")]
    [InlineData("[1, 2147483648]")]
    public void A_number_that_is_not_a_whole_INT32_is_declined(string json)
        => Assert.Null(Fast<int, Int32Text>(json, 2));

    [Theory]
    [InlineData("[1, 256]")]
    [InlineData("[1, -1]")]
    public void A_number_outside_UINT8_is_declined(string json)
        => Assert.Null(Fast<byte, ByteText>(json, 2));

    [Fact]
    public void Nesting_deeper_than_allowed_is_declined()
    {
        string deep = new string('[', 5) + "1" + new string(']', 5);
        Assert.Null(Fast<float, SingleText>(deep, 1, maxDepth: 4));
        Assert.Equal([1f], Taken<float, SingleText>(deep, 1, maxDepth: 5));
    }
}
