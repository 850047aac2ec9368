namespace Arc.Tracking.Tests.Service;

/// <summary>
/// Makes the frames of the fuzz test from a seeded <see cref="Random"/>: random bytes, or a valid request's bytes with
/// one to four mutations of the kinds that break protobuf readers — a flipped bit, a random byte, bytes inserted or
/// deleted, a cut, a repeated stretch, a run of varint continuation bytes, a length prefix made huge.
/// </summary>
internal sealed class FrameMutator(int seed)
{
    private readonly Random _random = new(seed);

    public byte[] RandomFrame()
    {
        byte[] frame = new byte[_random.Next(0, 257)];
        _random.NextBytes(frame);
        return frame;
    }

    public byte[] Mutate(byte[] valid)
    {
        var frame = new List<byte>(valid);
        int mutations = _random.Next(1, 5);
        for (int i = 0; i < mutations; i++)
        {
            int at = frame.Count == 0 ? 0 : _random.Next(frame.Count);
            switch (_random.Next(8))
            {
                case 0 when frame.Count > 0:
                    frame[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when frame.Count > 0:
                    frame[at] = (byte)_random.Next(256);
                    break;
                case 2:
                    frame.InsertRange(at, Bytes(_random.Next(1, 9)));
                    break;
                case 3 when frame.Count > 0:
                    frame.RemoveRange(at, Math.Min(frame.Count - at, _random.Next(1, 9)));
                    break;
                case 4 when frame.Count > 0:
                    frame.RemoveRange(at, frame.Count - at);
                    break;
                case 5 when frame.Count > 0:
                    int length = Math.Min(frame.Count - at, _random.Next(1, 33));
                    frame.InsertRange(at, frame.GetRange(at, length));
                    break;
                case 6:
                    frame.InsertRange(at, Enumerable.Repeat((byte)0xFF, _random.Next(5, 16)));
                    break;
                default:
                    // A field header followed by a length no message has.
                    frame.InsertRange(at, [(byte)((_random.Next(1, 16) << 3) | 2), 0xFF, 0xFF, 0xFF, 0xFF, 0x07]);
                    break;
            }
        }
        return [.. frame];
    }

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    private byte[] Bytes(int count)
    {
        byte[] bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }
}
