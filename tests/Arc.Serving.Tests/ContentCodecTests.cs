using Arc.Sdk;
using Arc.Types;

namespace Arc.Serving.Tests;

/// <summary>The content types of the inference protocol, through the generated module: negotiation, text, CSV, .npy, MessagePack.</summary>
public sealed class ContentCodecTests
{
    public ContentCodecTests() => ServingCodecs.Register();

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("text/*", "text/plain")]
    [InlineData("text/plain;q=0.5, application/x-msgpack", "application/x-msgpack")]
    [InlineData("application/json;q=0.1, text/plain;q=0.9", "text/plain")]
    [InlineData("image/gif", null)]
    [InlineData("application/json;q=0", null)]
    public void Accept_chooses_the_best_offered_type(string? accept, string? expected)
        => Assert.Equal(expected, ContentTypes.Negotiate(accept, ["application/json", "application/x-msgpack", "text/plain"]));

    [Fact]
    public void The_generated_module_reads_msgpack_and_npy_and_writes_every_answer_type()
    {
        var module = new DigitMlp.InferenceModule();
        Assert.Equal("digitmlp", module.Name);
        var image = new ImageData(ArcArray.From(Enumerable.Range(0, 784).Select(i => i / 784f).ToArray(), 1, 1, 28, 28));
        var fromWire = (ImageData)module.Deserialize(ArcWire.Serialize(image), "application/x-msgpack");
        Assert.True(fromWire.ContentEquals(image));

        var classes = new ClassData([3L, 7L], MnistDigitsNames);
        var (npy, npyType) = module.Serialize(classes, "application/x-npy");
        Assert.Equal("application/x-npy", npyType);
        var back = (ImageData)new DigitMlp.InferenceModule().Deserialize(NpyOf(image), "application/x-npy");
        Assert.True(back.ContentEquals(image));
        Assert.Equal("\x93NUMPY", System.Text.Encoding.Latin1.GetString(npy, 0, 6));
        var (text, textType) = module.Serialize(classes, "text/plain");
        Assert.Equal(("3\n7\n", "text/plain"), (System.Text.Encoding.UTF8.GetString(text), textType));
        Assert.Throws<UnsupportedContentTypeException>(() => module.Deserialize("x"u8.ToArray(), "text/plain"));
        var notAcceptable = Assert.Throws<NotAcceptableContentTypeException>(() => module.Serialize(classes, "text/csv"));
        Assert.Contains("application/json", notAcceptable.Supported);
    }

    [Fact]
    public void Csv_and_text_read_tables_and_texts_and_name_what_is_wrong()
    {
        var table = ContentCodecs.Read<TableData>("id,score,name\n1,0.5,\"a, b\"\n2,1.5,c\n"u8.ToArray(), "text/csv; charset=utf-8");
        Assert.Equal(2, table.Count);
        Assert.Equal("int64", table["id"].DTypeName);
        Assert.Equal("float64", table["score"].DTypeName);
        Assert.Equal(["a, b", "c"], table["name"].Strings!);
        var (csv, _) = ContentCodecs.Write(table, "text/csv");
        Assert.Equal("id,score,name\n1,0.5,\"a, b\"\n2,1.5,c\n", System.Text.Encoding.UTF8.GetString(csv));
        var error = Assert.Throws<ArcFormatException>(() => ContentCodecs.Read<TableData>("a,b\n1\n"u8.ToArray(), "text/csv"));
        Assert.Contains("row 2", error.Message);

        var texts = ContentCodecs.Read<TextData>("first\nsecond\n"u8.ToArray(), "text/plain");
        Assert.Equal(["first", "second"], texts.Texts);
        Assert.Throws<ArcFormatException>(() => ContentCodecs.Read<TextData>(new byte[] { 0xff, 0xfe }, "text/plain"));
    }

    private static readonly string[] MnistDigitsNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private static byte[] NpyOf(ImageData image)
    {
        string path = Path.Combine(Path.GetTempPath(), $"arc-serving-test-{Guid.NewGuid():N}.npy");
        try
        {
            Arc.Datasets.Npy.WriteAsync(path, image.Pixels).GetAwaiter().GetResult();
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
