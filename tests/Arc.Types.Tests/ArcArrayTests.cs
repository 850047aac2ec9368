using Xunit;
using Arc.Torch;
using Arc.Types;

namespace Arc.Types.Tests;

public class ArcArrayTests
{
    [Fact]
    public void SliceTakeAndConcatCopyWholeRows()
    {
        var a = ArcArray.From(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        Assert.Equal(new float[] { 3, 4, 5, 6 }, a.SliceRows(1, 2).ToArray<float>());
        Assert.Equal(new float[] { 5, 6, 1, 2 }, a.TakeRows(new[] { 2, 0 }).ToArray<float>());
        var joined = ArcArray.ConcatRows(new[] { a, a.SliceRows(0, 1) });
        Assert.Equal(new[] { 4, 2 }, joined.ShapeArray());
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 1, 2 }, joined.ToArray<float>());
    }

    [Fact]
    public void TensorRoundTripKeepsDtypeShapeAndValues()
    {
        var a = ArcArray.From(new long[] { 7, -1, 3 }, 3);
        using var t = a.ToTensor();
        Assert.Equal(new long[] { 3 }, t.shape);
        var back = t.ToArcArray();
        Assert.Equal(ArcDType.Int64, back.DType);
        Assert.Equal(new long[] { 7, -1, 3 }, back.ToArray<long>());
    }

    [Fact]
    public void FromBytesRejectsAShapeThatDoesNotMatchTheBuffer()
    {
        var e = Assert.Throws<ArcFormatException>(() => ArcArray.FromBytes(ArcDType.Float32, new[] { 1_000_000, 1_000_000 }, new byte[16]));
        Assert.Contains("shape [1000000, 1000000]", e.Message);
        Assert.Throws<ArcFormatException>(() => ArcArray.FromBytes(ArcDType.Float32, new[] { 2, 3 }, new byte[16]));
    }
}
