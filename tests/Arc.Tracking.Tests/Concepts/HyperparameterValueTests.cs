using Arc.Tracking;
using Xunit;

namespace Arc.Tracking.Tests.Concepts;

public sealed class HyperparameterValueTests
{
    public static TheoryData<HyperparameterValue> Values => new()
    {
        "adam", "", "line\nbreak", 64, long.MinValue, long.MaxValue, 1e-3, double.NaN, double.PositiveInfinity,
        double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, true, false,
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Invariant_text_reads_back_to_the_same_kind_and_value(HyperparameterValue value)
    {
        var back = HyperparameterValue.Parse(value.Kind, value.ToString());
        Assert.Equal(value.Kind, back.Kind);
        Assert.Equal(value, back);
        if (value.Kind == HyperparameterKind.Double)
            Assert.Equal(BitConverter.DoubleToInt64Bits(value.AsDouble()), BitConverter.DoubleToInt64Bits(back.AsDouble()));
    }

    [Fact]
    public void Conversions_keep_the_type()
    {
        HyperparameterValue hidden = 64, rate = 1e-3, name = "adam", shuffle = true;
        Assert.Equal(HyperparameterKind.Long, hidden.Kind);
        Assert.Equal(64L, hidden.AsLong());
        Assert.Equal(HyperparameterKind.Double, rate.Kind);
        Assert.Equal(HyperparameterKind.String, name.Kind);
        Assert.True(shuffle.AsBool());
    }

    [Fact]
    public void Reading_the_wrong_type_says_what_the_value_is()
    {
        HyperparameterValue rate = 1e-3;
        var e = Assert.Throws<InvalidOperationException>(() => rate.AsLong());
        Assert.Contains("Double, not a Long", e.Message);
        Assert.Throws<InvalidOperationException>(() => default(HyperparameterValue).AsString());
    }

    [Fact]
    public void Values_of_different_kinds_are_not_equal()
    {
        Assert.NotEqual<HyperparameterValue>(1L, 1.0);
        Assert.NotEqual<HyperparameterValue>("1", 1L);
        Assert.Equal<HyperparameterValue>(double.NaN, double.NaN);
    }

    [Theory]
    [InlineData(HyperparameterKind.Long, "1.5")]
    [InlineData(HyperparameterKind.Bool, "True")]
    [InlineData(HyperparameterKind.Double, "one")]
    public void Parse_refuses_text_of_another_kind(HyperparameterKind kind, string text)
        => Assert.Throws<FormatException>(() => HyperparameterValue.Parse(kind, text));
}
