using Arc.Generators.Tests.Infrastructure;
using MessagePack;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Generators.Tests.Runtime;

/// <summary>The runtime codecs the generated formatters are built from, tested directly.</summary>
public sealed class WireCodecTests
{
    private enum Color { Red, Green = 7 }

    [Flags]
    private enum Access { None = 0, Read = 1, Write = 2 }

    private static T RoundTrip<T>(WireCodec<T> codec, T value)
        => WireFormat.Deserialize(codec, WireFormat.Serialize(codec, value), "test");

    [Fact]
    public void ScalarsRoundTripAtTheirLimits()
    {
        Assert.Equal(sbyte.MinValue, RoundTrip(WireCodecs.SByte, sbyte.MinValue));
        Assert.Equal(byte.MaxValue, RoundTrip(WireCodecs.Byte, byte.MaxValue));
        Assert.Equal(short.MinValue, RoundTrip(WireCodecs.Int16, short.MinValue));
        Assert.Equal(ushort.MaxValue, RoundTrip(WireCodecs.UInt16, ushort.MaxValue));
        Assert.Equal(int.MinValue, RoundTrip(WireCodecs.Int32, int.MinValue));
        Assert.Equal(uint.MaxValue, RoundTrip(WireCodecs.UInt32, uint.MaxValue));
        Assert.Equal(long.MinValue, RoundTrip(WireCodecs.Int64, long.MinValue));
        Assert.Equal(ulong.MaxValue, RoundTrip(WireCodecs.UInt64, ulong.MaxValue));
        Assert.Equal(float.Epsilon, RoundTrip(WireCodecs.Single, float.Epsilon));
        Assert.True(double.IsNaN(RoundTrip(WireCodecs.Double, double.NaN)));
        Assert.Equal(79228162514264337593543950335m, RoundTrip(WireCodecs.Decimal, decimal.MaxValue));
        Assert.Equal(0.0000000000000000000000000001m, RoundTrip(WireCodecs.Decimal, 0.0000000000000000000000000001m));
        Assert.True(RoundTrip(WireCodecs.Boolean, true));
        Assert.Equal("ünïcode ✓", RoundTrip(WireCodecs.String, "ünïcode ✓"));
    }

    [Fact]
    public void IntegersReadFromAnyWidthThatFits()
    {
        byte[] small = Wire.Write((ref MessagePackWriter w) => w.Write(5L));
        Assert.Equal((byte)5, WireFormat.Deserialize(WireCodecs.Byte, small, "test"));
        byte[] negative = Wire.Write((ref MessagePackWriter w) => w.Write(-1));
        var error = Assert.Throws<ArcFormatException>(() => WireFormat.Deserialize(WireCodecs.UInt32, negative, "test"));
        Assert.Equal("malformed test (1 bytes, stopped at byte 1): value: -1 is outside 0..4294967295", error.Message);
    }

    [Fact]
    public void DecimalsTravelAsStringsAndAcceptNumbers()
    {
        Assert.Equal("\"12.50\"", Wire.Read(WireFormat.Serialize(WireCodecs.Decimal, 12.50m), (ref MessagePackReader r) => Wire.Describe(ref r)));
        Assert.Equal(3m, WireFormat.Deserialize(WireCodecs.Decimal, Wire.Write((ref MessagePackWriter w) => w.Write(3)), "test"));
        Assert.Equal(0.5m, WireFormat.Deserialize(WireCodecs.Decimal, Wire.Write((ref MessagePackWriter w) => w.Write(0.5)), "test"));
        Assert.Equal(ulong.MaxValue, WireFormat.Deserialize(WireCodecs.Decimal, Wire.Write((ref MessagePackWriter w) => w.Write(ulong.MaxValue)), "test"));
        var error = Assert.Throws<ArcFormatException>(() => WireFormat.Deserialize(WireCodecs.Decimal, Wire.Write((ref MessagePackWriter w) => w.Write("twelve")), "test"));
        Assert.Contains("value: expected a decimal number but found the string 'twelve'", error.Message);
        Assert.Throws<ArcFormatException>(() => WireFormat.Deserialize(WireCodecs.Decimal, Wire.Write((ref MessagePackWriter w) => w.Write(double.PositiveInfinity)), "test"));
    }

    [Fact]
    public void EnumsUseNamesIncludingFlagCombinationsAndUndefinedValues()
    {
        var color = WireCodecs.Enum<Color>();
        Assert.Equal("\"Green\"", Wire.Read(WireFormat.Serialize(color, Color.Green), (ref MessagePackReader r) => Wire.Describe(ref r)));
        Assert.Equal(Color.Green, RoundTrip(color, Color.Green));
        Assert.Equal((Color)3, RoundTrip(color, (Color)3));
        Assert.Equal(Access.Read | Access.Write, RoundTrip(WireCodecs.Enum<Access>(), Access.Read | Access.Write));
        var error = Assert.Throws<ArcFormatException>(() => WireFormat.Deserialize(color, Wire.Write((ref MessagePackWriter w) => w.Write("green")), "test"));
        Assert.Contains("value: expected one of Red, Green but found 'green'", error.Message);
        Assert.Throws<ArcFormatException>(() => WireFormat.Deserialize(color, Wire.Write((ref MessagePackWriter w) => w.Write(7)), "test"));
    }

    [Fact]
    public void NullablesAndCollectionsCompose()
    {
        var codec = WireCodecs.OrNull(WireCodecs.ArrayOf(WireCodecs.Nullable(WireCodecs.Int32)));
        Assert.Null(RoundTrip(codec, null));
        Assert.Equal([1, null, 3], RoundTrip(codec, [1, null, 3]));
        var lists = WireCodecs.ReadOnlyListOf(WireCodecs.ReadOnlyListOf(WireCodecs.String));
        var nested = RoundTrip(lists, [["a"], [], ["b", "c"]]);
        Assert.Equal(["a", "b", "c"], nested.SelectMany(x => x));
        Assert.Empty(RoundTrip(WireCodecs.ArrayOf(WireCodecs.Double), []));
    }

    [Fact]
    public void NonNullableValuesRejectNil()
    {
        byte[] nil = Wire.Write((ref MessagePackWriter w) => w.WriteNil());
        Assert.Contains("value: expected a string but found nil", Assert.Throws<ArcFormatException>(() => WireFormat.Deserialize(WireCodecs.String, nil, "test")).Message);
        Assert.Contains("value: expected an array but found nil", Assert.Throws<ArcFormatException>(() => WireFormat.Deserialize(WireCodecs.ArrayOf(WireCodecs.Int32), nil, "test")).Message);
        Assert.Throws<ArgumentNullException>(() => WireFormat.Serialize(WireCodecs.String, null!));
    }

    [Fact]
    public void AForgedArrayLengthFailsWithoutAllocatingIt()
    {
        // array32 header claiming 2^31-1 elements, followed by one byte.
        byte[] forged = [0xdd, 0x7f, 0xff, 0xff, 0xff, 0x01];
        var error = Assert.Throws<ArcFormatException>(() => WireFormat.Deserialize(WireCodecs.ArrayOf(WireCodecs.Int64), forged, "test"));
        Assert.Contains("value: the array header claims 2147483647 elements but only 1 bytes remain", error.Message);
    }

    [Fact]
    public void SkippingADeeplyNestedValueStopsAtTheDepthLimit()
    {
        // 100,000 nested one-element arrays: following them all would overflow the stack and kill the process.
        const int depth = 100_000;
        byte[] bytes = new byte[depth + 1];
        Array.Fill(bytes, (byte)0x91); // fixarray of one element
        bytes[depth] = 0xc0;           // nil at the bottom
        var error = Assert.Throws<ArcFormatException>(() =>
        {
            var reader = new MessagePackReader(bytes);
            WireReading.Skip(ref reader, "extra");
        });
        Assert.Contains($"values nested deeper than {WireLimits.MaxDepth} levels", error.Message);
        // The error's path is the unknown key.
        Assert.StartsWith("extra: ", error.Message);

        // As deep as the limit is fine.
        byte[] shallow = [.. Enumerable.Repeat((byte)0x91, WireLimits.MaxDepth), 0xc0];
        var ok = new MessagePackReader(shallow);
        WireReading.Skip(ref ok, "extra");
        Assert.True(ok.End);
    }

    [Fact]
    public void MapHeadersAndKeysAreChecked()
    {
        byte[] array = Wire.Write((ref MessagePackWriter w) => w.WriteArrayHeader(0));
        var notMap = Assert.Throws<ArcFormatException>(() =>
        {
            var reader = new MessagePackReader(array);
            WireReading.ReadMapHeader(ref reader, "hyperparameters of X");
        });
        Assert.Equal("hyperparameters of X: expected a map but found an array", notMap.Message);

        byte[] intKey = Wire.Write((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write(1); w.Write(2); });
        var notStringKey = Assert.Throws<ArcFormatException>(() =>
        {
            var reader = new MessagePackReader(intKey);
            WireReading.ReadMapHeader(ref reader, "hyperparameters of X");
            WireReading.ReadKey(ref reader, "hyperparameters of X");
        });
        Assert.Equal("hyperparameters of X: map keys must be strings but one is an integer", notStringKey.Message);
    }

    [Fact]
    public void DataTypesMustBeMaps()
    {
        byte[] text = Wire.Write((ref MessagePackWriter w) => w.Write("not an image"));
        var error = Assert.Throws<ArcFormatException>(() => WireFormat.Deserialize(WireCodecs.Data<ImageData>(), text, "test"));
        Assert.Equal("malformed test (13 bytes, stopped at byte 0): value: expected ImageData data (a map tagged 'image') but found a string", error.Message);
    }

    [Fact]
    public void NoResultIsNil()
    {
        byte[] bytes = WireFormat.Serialize(WireCodecs.NoResult, default);
        Assert.Equal([0xc0], bytes);
        Assert.Equal(default, WireFormat.Deserialize(WireCodecs.NoResult, bytes, "test"));
    }
}
