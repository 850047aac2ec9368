using System.Buffers;
using MessagePack;
using Xunit;
using Arc.Types;

namespace Arc.Types.Tests;

/// <summary>Contracts on their own: what fits, the words of a misfit, conflicts between a model's and a job's, and both forms round-tripping.</summary>
public sealed class DataContractTests
{
    private static readonly DataContract Digits = new(new ImageContract(1, 28, 28, ArcDType.Float32), NamesContract.ForClasses(["a", "b"]));

    private static ImageData Images(int c, int h, int w, ArcDType dtype = ArcDType.Float32) => new(ArcArray.Zeros(dtype, 2, c, h, w));

    [Fact]
    public void Any_batch_size_fits_and_each_fixed_dimension_or_dtype_is_checked()
    {
        Digits.CheckX(Images(1, 28, 28));
        Digits.CheckX(new ImageData(ArcArray.Zeros(ArcDType.Float32, 500, 1, 28, 28)));
        var e = Assert.Throws<ArgumentException>(() => Digits.CheckX(Images(1, 28, 28, ArcDType.UInt8)));
        Assert.Equal("x", e.ParamName);
        Assert.StartsWith("x does not fit the model's contract: expected image [N, 1, 28, 28] float32, received image [N, 1, 28, 28] uint8", e.Message);
        new DataContract(new ImageContract(height: 28), null).CheckX(Images(3, 28, 5, ArcDType.UInt8));
        Assert.Throws<ArgumentException>(() => new DataContract(new ImageContract(height: 28), null).CheckX(Images(3, 27, 5)));
        Assert.Equal("image [N, *, 28, *] any dtype", new ImageContract(height: 28).ToString());
    }

    [Fact]
    public void Tables_must_have_the_columns_in_order_and_texts_at_most_the_length_and_names_the_same()
    {
        var table = new TableContract([new("a", "float32"), new("b", "string")]);
        var contract = new DataContract(table, null);
        contract.CheckX(new TableData([TableColumn.FromValues("a", new float[] { 1 }), TableColumn.FromStrings("b", ["x"])]));
        var swapped = Assert.Throws<ArgumentException>(() => contract.CheckX(new TableData([TableColumn.FromStrings("b", ["x"]), TableColumn.FromValues("a", new float[] { 1 })])));
        Assert.StartsWith("x does not fit the model's contract: expected table of 2 columns (a float32, b string), received table of 2 columns (b string, a float32)", swapped.Message);

        var text = new DataContract(new TextContract(3), NamesContract.ForLabels(["p", "q"]));
        text.CheckX(new TextData("abc", ""));
        Assert.Throws<ArgumentException>(() => text.CheckX(new TextData("abcd")));
        text.CheckY(new LabelData(ArcArray.Zeros(ArcDType.Float32, 1, 2), ["p", "q"]));
        var y = Assert.Throws<ArgumentException>(() => text.CheckY(new LabelData(ArcArray.Zeros(ArcDType.Float32, 1, 2), ["q", "p"])));
        Assert.Equal("y", y.ParamName);
    }

    [Fact]
    public void A_conflict_needs_both_sides_to_fix_something_that_differs()
    {
        Assert.Null(Digits.Conflict(DataContract.None));
        Assert.Null(Digits.Conflict(new DataContract(new ImageContract(channels: 1), null)));
        Assert.Equal("x: it takes image [N, 1, 28, 28] float32, the job gives image [N, 3, *, *] any dtype",
            Digits.Conflict(new DataContract(new ImageContract(channels: 3), null)));
        Assert.Equal("y: it has class names [a, b], the job has class names [b, a]",
            Digits.Conflict(new DataContract(null, NamesContract.ForClasses(["b", "a"]))));
        Assert.NotNull(new DataContract(new TextContract(10), null).Conflict(new DataContract(new TextContract(20), null)));
        Assert.Null(new DataContract(new TextContract(20), null).Conflict(new DataContract(new TextContract(10), null)));
    }

    [Fact]
    public void Wire_and_JSON_forms_round_trip_and_a_forged_contract_is_refused()
    {
        var contracts = new[]
        {
            Digits,
            new DataContract(new TableContract([new("area", "float64"), new("city", "string")]), new TextContract(null)),
            new DataContract(new TextContract(512), NamesContract.ForLabels(["x"])),
            DataContract.None,
        };
        foreach (var contract in contracts)
        {
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            contract.WriteWire(ref writer);
            writer.Flush();
            var reader = new MessagePackReader(buffer.WrittenMemory);
            Assert.Equal(contract, DataContract.ReadWire(ref reader, "contract"));
            Assert.Equal(contract, DataContract.FromJson(contract.ToJson()));
        }
        Assert.Equal("""{"x":{"kind":"text","max_length":512},"y":{"kind":"label","names":["x"]}}""", contracts[2].ToJson());

        var forged = MessagePackSerializer.Serialize(new Dictionary<string, object?> { ["x"] = new Dictionary<string, object?> { ["kind"] = "image", ["height"] = 0 } },
            cancellationToken: TestContext.Current.CancellationToken);
        var error = Assert.Throws<ArcFormatException>(() =>
        {
            var forgedReader = new MessagePackReader(forged);
            return DataContract.ReadWire(ref forgedReader, "contract");
        });
        Assert.Contains("contract.x.height", error.Message);
    }
}
