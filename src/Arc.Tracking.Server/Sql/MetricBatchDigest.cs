using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Arc.Tracking.Server;

/// <summary>
/// The sha256 of a metric batch's points as they are stored (key, step, wall time in microseconds, value bits with every
/// NaN alike, −0.0 as 0.0), kept with its idempotency key: a retry of the same batch matches it, and a different batch sent under a key
/// already used is caught instead of being dropped as a "retry".
/// </summary>
internal static class MetricBatchDigest
{
    public static string Of(IReadOnlyList<MetricPoint> points)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> fixedPart = stackalloc byte[24];
        foreach (var point in points)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(point.Key));
            BinaryPrimitives.WriteInt64LittleEndian(fixedPart, point.Step);
            BinaryPrimitives.WriteInt64LittleEndian(fixedPart[8..], UnixMicros.From(point.WallTime));
            double value = double.IsNaN(point.Value) ? double.NaN : point.Value + 0.0;
            BinaryPrimitives.WriteInt64LittleEndian(fixedPart[16..], BitConverter.DoubleToInt64Bits(value));
            // The key's length ends it, so ("ab", …) and ("a", "b…") cannot hash alike.
            hash.AppendData(BitConverter.GetBytes(point.Key.Length));
            hash.AppendData(fixedPart);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
