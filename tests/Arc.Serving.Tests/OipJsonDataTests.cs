using System.Text.Json;
using Arc.Types;

namespace Arc.Serving.Tests;

/// <summary>
/// A JSON tensor's data, flat or nested, read straight into its element type: the same values either way, the count
/// across every level, and a value of the wrong kind named by its flat index.
/// </summary>
public sealed class OipJsonDataTests
{
    private static JsonElement Data(string json) => JsonDocument.Parse(json).RootElement;

    [Theory]
    [InlineData(ArcDType.Float32, "[0.5, -2, 3e2, 4]", "[[0.5, -2], [3e2, 4]]")]
    [InlineData(ArcDType.Float64, "[0.25, 1, 2, 3]", "[[[0.25], [1]], [[2], [3]]]")]
    [InlineData(ArcDType.Int32, "[1, -2, 3, 2147483647]", "[[1, -2], [3, 2147483647]]")]
    [InlineData(ArcDType.Int64, "[1, -2, 3, 9007199254740993]", "[[1], [-2, 3], [9007199254740993]]")]
    [InlineData(ArcDType.UInt8, "[0, 1, 254, 255]", "[[0, 1], [254, 255]]")]
    [InlineData(ArcDType.Bool, "[true, false, false, true]", "[[true, false], [false, true]]")]
    public void Flat_and_nested_data_give_the_same_array(ArcDType dtype, string flat, string nested)
    {
        Assert.Equal(4, OipJsonData.CountElements(Data(flat), "inputs[0].data"));
        Assert.Equal(4, OipJsonData.CountElements(Data(nested), "inputs[0].data"));
        var fromFlat = OipJsonData.Numbers(Data(flat), dtype, [2, 2], 4, "inputs[0]");
        var fromNested = OipJsonData.Numbers(Data(nested), dtype, [2, 2], 4, "inputs[0]");
        Assert.Equal(dtype, fromFlat.DType);
        Assert.Equal([2, 2], fromFlat.ShapeArray());
        Assert.Equal(fromFlat.UnsafeBuffer.ToArray(), fromNested.UnsafeBuffer.ToArray());
        Assert.Equal(4 * ArcDTypes.SizeOf(dtype), fromFlat.UnsafeBuffer.Length);
    }

    [Fact]
    public void Values_are_read_exactly()
    {
        var floats = OipJsonData.Numbers(Data("[[0.1, -2.5], [1e-3, 7]]"), ArcDType.Float32, [4], 4, "inputs[0]");
        Assert.Equal([0.1f, -2.5f, 1e-3f, 7f], floats.ToArray<float>());
        var longs = OipJsonData.Numbers(Data("[9007199254740993, -1]"), ArcDType.Int64, [2], 2, "inputs[0]");
        Assert.Equal([9007199254740993L, -1L], longs.ToArray<long>());
        Assert.Equal(["a", "ü", ""], OipJsonData.Strings(Data("[[\"a\"], [\"ü\", \"\"]]"), 3, "inputs[0]"));
    }

    [Theory]
    [InlineData(ArcDType.Float32, "[[1, 2], [3, \"x\"]]", "inputs[0].data[3]", "is String, not a number (FP32)")]
    [InlineData(ArcDType.Float64, "[null, 1, 2, 3]", "inputs[0].data[0]", "is Null, not a number (FP64)")]
    [InlineData(ArcDType.Int32, "[[1], [2.5], [3], [4]]", "inputs[0].data[1]", "is '2.5', not an INT32")]
    [InlineData(ArcDType.Int64, "[1, 2, {}, 4]", "inputs[0].data[2]", "is '{}', not an INT64")]
    [InlineData(ArcDType.UInt8, "[[0, 1], [256, 2]]", "inputs[0].data[2]", "is '256', not a UINT8")]
    [InlineData(ArcDType.Bool, "[true, 1, false, true]", "inputs[0].data[1]", "is '1', not true or false (BOOL)")]
    [InlineData(ArcDType.Float32, "[1, 2, 1e39, 4]", "inputs[0].data[2]", "is 1e39, beyond the range of FP32")]
    [InlineData(ArcDType.Float64, "[1, -1e999, 3, 4]", "inputs[0].data[1]", "is -1e999, beyond the range of FP64")]
    public void A_value_of_the_wrong_kind_or_beyond_its_range_is_named_by_its_flat_index(ArcDType dtype, string data, string field, string message)
    {
        var refused = Assert.Throws<OipRequestException>(() => OipJsonData.Numbers(Data(data), dtype, [4], 4, "inputs[0]"));
        Assert.Equal($"{field}: {message}", refused.Message);
    }

    [Fact]
    public void Long_and_short_decimals_alike_are_the_nearest_float()
    {
        string[] texts = ["0.118", "0.123456789012345678901", "3.4028234e38", "1.17549435e-38", "-0", "16777217"];
        var floats = OipJsonData.Numbers(Data("[" + string.Join(", ", texts) + "]"), ArcDType.Float32, [6], 6, "inputs[0]").ToArray<float>();
        Assert.Equal(texts.Select(t => float.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).Select(BitConverter.SingleToInt32Bits), floats.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Data_that_is_not_an_array_or_holds_a_non_string_for_bytes_is_refused()
    {
        Assert.Equal("inputs[0].data: is not an array", Assert.Throws<OipRequestException>(() => OipJsonData.CountElements(Data("3"), "inputs[0].data")).Message);
        Assert.Equal("inputs[0].data[1]: is not a string (BYTES data are strings)",
            Assert.Throws<OipRequestException>(() => OipJsonData.Strings(Data("[\"a\", 2]"), 2, "inputs[0]")).Message);
    }
}
