using MessagePack;
using Xunit;
using Arc.Types;

namespace Arc.Types.Tests;

/// <summary>
/// Untrusted bytes: every malformed payload must end in an <see cref="ArcFormatException"/> that says what is wrong —
/// never another exception type, a crash, or an allocation sized by a forged length.
/// </summary>
public class HostileInputTests
{
    [Fact]
    public void EveryTruncationOfEveryTypeIsAFormatError()
    {
        foreach (var (name, bytes, read) in Samples.AllPayloads())
        {
            read(bytes); // the whole payload is valid
            for (int length = 0; length < bytes.Length; length++)
            {
                var prefix = bytes.AsSpan(0, length).ToArray();
                var e = Assert.Throws<ArcFormatException>(() => read(prefix));
                Assert.Matches($@"^malformed '\w+' \({length} bytes, stopped at byte \d+\): .+", e.Message);
            }
            Assert.Contains("unexpected bytes follow", Assert.Throws<ArcFormatException>(() => read(Payload.Concat(bytes, new byte[] { 0xc0 }))).Message);
        }
    }

    [Fact]
    public void ThousandsOfMutationsProduceOnlyFormatErrorsOrValidValues()
    {
        var random = new Random(20240917);
        byte[] interesting = { 0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xc0, 0xc1, 0xc4, 0xc5, 0xc6, 0xca, 0xcb, 0xcf, 0xd3, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xff };
        int decoded = 0, rejected = 0;
        foreach (var (name, original, read) in Samples.AllPayloads())
        {
            for (int round = 0; round < 3000; round++)
            {
                var bytes = Mutate(original, random, interesting);
                try
                {
                    read(bytes);
                    decoded++;
                }
                catch (ArcFormatException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"{name} mutation {round} escaped as {e.GetType().Name}: {e.Message}\npayload: {Convert.ToHexString(bytes)}");
                }
            }
        }
        // Both outcomes must occur, or the mutations are not exercising the reader.
        Assert.True(rejected > 1000, $"only {rejected} mutations were rejected");
        Assert.True(decoded > 100, $"only {decoded} mutations decoded");
    }

    [Fact]
    public void RandomBytesAreFormatErrors()
    {
        var random = new Random(7);
        for (int i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 80)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length > 0) bytes[0] = (byte)(0x80 | random.Next(16)); // start like a map
            try { ArcWire.Deserialize<ClassData>(bytes); }
            catch (ArcFormatException) { }
        }
    }

    private static byte[] Mutate(byte[] original, Random random, byte[] interesting)
    {
        var bytes = original.ToList();
        int edits = 1 + random.Next(3);
        for (int i = 0; i < edits; i++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes[at] = interesting[random.Next(interesting.Length)]; break;
                case 3: bytes.Insert(at, (byte)random.Next(256)); break;
                case 4: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(4))); break;
                default: bytes.InsertRange(at, bytes.Skip(random.Next(bytes.Count)).Take(1 + random.Next(8)).ToList()); break;
            }
            if (bytes.Count == 0) bytes.Add(0x80);
        }
        return bytes.ToArray();
    }

    // A valid 1×1×1×2 float32 image as named entries, so each test can replace or drop one of them.
    private static List<(string Key, Payload.Writing Value)> ImageEntries() => new()
    {
        ("arc", (ref MessagePackWriter w) => w.Write("image")),
        ("v", (ref MessagePackWriter w) => w.Write(1)),
        ("dtype", (ref MessagePackWriter w) => w.Write("float32")),
        ("shape", (ref MessagePackWriter w) => { w.WriteArrayHeader(4); w.Write(1); w.Write(1); w.Write(1); w.Write(2); }),
        ("data", (ref MessagePackWriter w) => w.Write(new byte[8])),
    };

    private static byte[] Image(string key, Payload.Writing? value)
    {
        var entries = ImageEntries();
        int at = entries.FindIndex(e => e.Key == key);
        if (at < 0) entries.Add((key, value!));
        else if (value is null) entries.RemoveAt(at);
        else entries[at] = (key, value);
        return Map(entries);
    }

    private static byte[] Map(List<(string Key, Payload.Writing Value)> entries) => Payload.Build((ref MessagePackWriter w) =>
    {
        w.WriteMapHeader(entries.Count);
        foreach (var (key, value) in entries) { w.Write(key); value(ref w); }
    });

    private static Payload.Writing Raw(params byte[] bytes) => (ref MessagePackWriter w) => w.WriteRaw(bytes);

    private static string ImageError(byte[] payload) => Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<ImageData>(payload)).Message;

    [Fact]
    public void TheValidImageEntriesDecode() => Assert.Equal(2, ArcWire.Deserialize<ImageData>(Map(ImageEntries())).Width);

    [Fact]
    public void EachKindOfMalformedImageSaysWhatIsWrong()
    {
        Assert.Contains("expected a value tagged 'image' but the payload's type tag (arc) is 'class'", ImageError(Image("arc", (ref MessagePackWriter w) => w.Write("class"))));
        Assert.Contains("version 2 is not supported", ImageError(Image("v", (ref MessagePackWriter w) => w.Write(2))));
        Assert.Contains("'v' (the format version) is missing", ImageError(Image("v", null)));
        Assert.Contains("'arc' (the type tag) is missing", ImageError(Image("arc", null)));
        Assert.Contains("the required key 'data' is missing", ImageError(Image("data", null)));
        Assert.Contains("unknown dtype 'complex64'", ImageError(Image("dtype", (ref MessagePackWriter w) => w.Write("complex64"))));
        Assert.Contains("image.dtype: expected a string but found an integer", ImageError(Image("dtype", (ref MessagePackWriter w) => w.Write(7))));
        Assert.Contains("image.shape: expected an array but found a string", ImageError(Image("shape", (ref MessagePackWriter w) => w.Write("1x1"))));
        Assert.Contains("image.data: expected a bin but found an array", ImageError(Image("data", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write(0f); w.Write(0f); })));
        Assert.Contains("needs 8 bytes but the buffer has 7", ImageError(Image("data", (ref MessagePackWriter w) => w.Write(new byte[7]))));
        Assert.Contains("image.shape[2]: -1 is outside 0..", ImageError(Image("shape", (ref MessagePackWriter w) => { w.WriteArrayHeader(4); w.Write(1); w.Write(1); w.Write(-1); w.Write(2); })));
        Assert.Contains("image.shape[0]: 4294967296 is outside", ImageError(Image("shape", (ref MessagePackWriter w) => { w.WriteArrayHeader(4); w.Write(1L << 32); w.Write(1); w.Write(1); w.Write(2); })));
        Assert.Contains("more elements than one buffer can hold", ImageError(Image("shape", (ref MessagePackWriter w) => { w.WriteArrayHeader(4); for (int i = 0; i < 4; i++) w.Write(int.MaxValue); })));
        Assert.Contains("17 dimensions", ImageError(Image("shape", (ref MessagePackWriter w) => { w.WriteArrayHeader(17); for (int i = 0; i < 17; i++) w.Write(1); })));
        Assert.Contains("images are N×C×H×W", ImageError(Image("shape", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write(1); w.Write(2); })));
        Assert.Contains("map keys must be strings but one is an integer", ImageError(Payload.Build((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write(5); w.Write(5); })));
        Assert.Contains("the key 'dtype' appears twice", ImageError(Payload.Concat(new byte[] { 0x86 }, Map(ImageEntries()).AsSpan(1).ToArray(), Payload.Str("dtype"), Payload.Str("float32"))));
        Assert.Contains("expected a map but found an array", ImageError(new byte[] { 0x90 }));
        Assert.Contains("expected a map but found nil", ImageError(new byte[] { 0xc0 }));
        Assert.Contains("the payload is empty", ImageError(Array.Empty<byte>()));
        Assert.Contains("not valid UTF-8", ImageError(Image("dtype", Raw(0xa2, 0xc3, 0x28))));
        Assert.Contains("is not a MessagePack value", ImageError(Image("future", Raw(0xc1))));
    }

    [Fact]
    public void TypeSpecificRulesAreFormatErrors()
    {
        var classPayload = Map(new()
        {
            ("arc", (ref MessagePackWriter w) => w.Write("class")), ("v", (ref MessagePackWriter w) => w.Write(1)),
            ("dtype", (ref MessagePackWriter w) => w.Write("int64")), ("shape", (ref MessagePackWriter w) => { w.WriteArrayHeader(1); w.Write(1); }),
            ("data", (ref MessagePackWriter w) => w.Write(BitConverter.GetBytes(5L))), ("names", (ref MessagePackWriter w) => { w.WriteArrayHeader(1); w.Write("only"); }),
        });
        Assert.Contains("class: class index 5 is outside 0..0", Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<ClassData>(classPayload)).Message);

        var boolLabels = Map(new()
        {
            ("arc", (ref MessagePackWriter w) => w.Write("label")), ("v", (ref MessagePackWriter w) => w.Write(1)),
            ("dtype", (ref MessagePackWriter w) => w.Write("bool")), ("shape", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write(1); w.Write(2); }),
            ("data", (ref MessagePackWriter w) => w.Write(new byte[] { 1, 7 })), ("names", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write("a"); w.Write("b"); }),
        });
        Assert.Contains("bool element 1 is 7", Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<LabelData>(boolLabels)).Message);

        Payload.Writing column = (ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(1);
            w.WriteMapHeader(3); w.Write("name"); w.Write("c"); w.Write("dtype"); w.Write("string");
            w.Write("values"); w.WriteArrayHeader(2); w.Write("a"); w.Write("b");
        };
        var table = Map(new() { ("arc", (ref MessagePackWriter w) => w.Write("table")), ("v", (ref MessagePackWriter w) => w.Write(1)), ("rows", (ref MessagePackWriter w) => w.Write(3)), ("columns", column) });
        Assert.Contains("column 'c' has 2 rows but the table has 3", Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<TableData>(table)).Message);

        var audio = Map(new()
        {
            ("arc", (ref MessagePackWriter w) => w.Write("audio")), ("v", (ref MessagePackWriter w) => w.Write(1)),
            ("dtype", (ref MessagePackWriter w) => w.Write("float32")), ("shape", (ref MessagePackWriter w) => { w.WriteArrayHeader(3); w.Write(1); w.Write(1); w.Write(1); }),
            ("data", (ref MessagePackWriter w) => w.Write(new byte[4])), ("rate", (ref MessagePackWriter w) => w.Write(0)),
        });
        Assert.Contains("audio.rate: 0 is outside 1..", Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<AudioData>(audio)).Message);
    }

    [Fact]
    public void ForgedHugeLengthsAreRejectedWithoutAllocatingThem()
    {
        var forged = new (string What, byte[] Bytes, Func<byte[], object> Read)[]
        {
            ("bin32 of 4 GB", Image("data", Raw(0xc6, 0xff, 0xff, 0xff, 0xff)), b => ArcWire.Deserialize<ImageData>(b)),
            ("bin32 of 2 GB", Image("data", Raw(0xc6, 0x7f, 0xff, 0xff, 0xf0, 1, 2, 3)), b => ArcWire.Deserialize<ImageData>(b)),
            ("array32 shape", Image("shape", Raw(0xdd, 0x7f, 0xff, 0xff, 0xff, 1, 1)), b => ArcWire.Deserialize<ImageData>(b)),
            ("array32 in an unknown key", Image("future", Raw(0xdd, 0xff, 0xff, 0xff, 0xff)), b => ArcWire.Deserialize<ImageData>(b)),
            ("map32 in an unknown key", Image("future", Raw(0xdf, 0x7f, 0xff, 0xff, 0xff)), b => ArcWire.Deserialize<ImageData>(b)),
            ("str32 in an unknown key", Image("future", Raw(0xdb, 0x7f, 0xff, 0xff, 0xff, 0x41)), b => ArcWire.Deserialize<ImageData>(b)),
            ("top-level map32", new byte[] { 0xdf, 0xff, 0xff, 0xff, 0xff, 0xa3, 0x61, 0x72, 0x63 }, b => ArcWire.Deserialize<ImageData>(b)),
            ("str32 key", new byte[] { 0x81, 0xdb, 0x7f, 0xff, 0xff, 0xff, 0x61 }, b => ArcWire.Deserialize<TextData>(b)),
            ("array32 texts", Payload.Concat(new byte[] { 0x83 }, Payload.Str("arc"), Payload.Str("text"), Payload.Str("v"), new byte[] { 1 }, Payload.Str("texts"), new byte[] { 0xdd, 0x7f, 0xff, 0xff, 0xff, 0xa1, 0x61 }), b => ArcWire.Deserialize<TextData>(b)),
            ("array32 names", Payload.Concat(new byte[] { 0x83 }, Payload.Str("arc"), Payload.Str("class"), Payload.Str("v"), new byte[] { 1 }, Payload.Str("names"), new byte[] { 0xdd, 0xff, 0xff, 0xff, 0xf0, 0xa1, 0x61 }), b => ArcWire.Deserialize<ClassData>(b)),
            ("array32 columns", Payload.Concat(new byte[] { 0x84 }, Payload.Str("arc"), Payload.Str("table"), Payload.Str("v"), new byte[] { 1 }, Payload.Str("rows"), new byte[] { 1 }, Payload.Str("columns"), new byte[] { 0xdd, 0x7f, 0xff, 0xff, 0xff, 0x80 }), b => ArcWire.Deserialize<TableData>(b)),
        };
        foreach (var (what, bytes, read) in forged)
        {
            Assert.Throws<ArcFormatException>(() => read(bytes)); // first run: JIT and static setup
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<ArcFormatException>(() => read(bytes));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 256 * 1024, $"{what}: rejecting it allocated {allocated} bytes ({e.Message})");
        }
    }

    [Fact]
    public void DeepNestingInAnUnknownKeyIsRefusedInsteadOfOverflowingTheStack()
    {
        var nested = Enumerable.Repeat((byte)0x91, 1_000_000).Append((byte)0xc0).ToArray();
        var e = Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<ImageData>(Image("future", Raw(nested))));
        Assert.Contains("nested deeper than 64 levels", e.Message);
        // The same bytes through MessagePack's own entry point stop at its depth limit.
        var list = Payload.Concat(new byte[] { 0x91 }, Image("future", Raw(nested)));
        Assert.ThrowsAny<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<List<ImageData>>(list, ArcWire.Options, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ErrorsSayWhereTheReaderStopped()
    {
        var bytes = ArcWire.Serialize(Samples.Class());
        var e = Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<ClassData>(bytes.AsSpan(0, 50).ToArray()));
        Assert.Matches(@"^malformed 'class' \(50 bytes, stopped at byte \d+\): .+", e.Message);
    }
}
