using Arc.Types;

namespace Arc.Datasets.Tests.NumPy;

/// <summary>The arrays npy_check.py generates, from the same formulas: each side checks the other's files against its own.</summary>
internal static class NpyCases
{
    public static readonly (string Name, ArcDType DType, int[] Shape)[] All =
    [
        ("float32", ArcDType.Float32, [4, 3, 5]),
        ("float64", ArcDType.Float64, [6]),
        ("int32", ArcDType.Int32, [5, 2]),
        ("int64", ArcDType.Int64, [7]),
        ("uint8", ArcDType.UInt8, [3, 2, 2, 2]),
        ("bool", ArcDType.Bool, [9]),
        ("empty", ArcDType.Float32, [0, 3]),
    ];

    public static ArcArray Case(string name)
    {
        var (_, dtype, shape) = All.Single(c => c.Name == name);
        int n = shape.Aggregate(1, (a, b) => a * b);
        var index = Enumerable.Range(0, n).ToArray();
        return dtype switch
        {
            ArcDType.Float32 => ArcArray.From(index.Select(i => i switch
            {
                0 => BitConverter.Int32BitsToSingle(0x7FC00000), // NumPy's NaN (float.NaN has the sign bit set)
                1 => float.PositiveInfinity,
                2 => float.NegativeInfinity,
                3 => -0f,
                _ => (float)Cube(i * 0.37 - 5.0),
            }).ToArray(), shape),
            ArcDType.Float64 => ArcArray.From(index.Select(i => i * 1.5e10 - 7.25).ToArray(), shape),
            ArcDType.Int32 => ArcArray.From(index.Select(i => (int)((i * 2654435761L & 0xFFFFFFFFL) - 2147483648L)).ToArray(), shape),
            ArcDType.Int64 => ArcArray.From(index.Select(i => unchecked((long)((ulong)i * 6364136223846793005UL + 1442695040888963407UL - 9223372036854775808UL))).ToArray(), shape),
            ArcDType.UInt8 => ArcArray.From(index.Select(i => (byte)((i * 7 + 3) % 256)).ToArray(), shape),
            ArcDType.Bool => ArcArray.From(index.Select(i => i % 3 == 0).ToArray(), shape),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    /// <summary>The texts npy_check.py writes as np_text.npy.</summary>
    public static readonly string[] Texts = ["plain", "", "ünïcødé 🐟", "two\nlines", "a\0b"];

    private static double Cube(double x) => x * x * x;
}
