using Arc.Datasets.Tests.Support;
using Arc.Types;

namespace Arc.Datasets.Tests.NumPy;

/// <summary>
/// Arc's .npy files and NumPy's are the same files: NumPy (Debian's python3-numpy) loads what Arc wrote, bit for
/// bit and byte for byte what np.save writes, and Arc reads what NumPy wrote, or refuses it by name when Arc cannot
/// hold it (Fortran order, big-endian, pickled objects).
/// </summary>
public sealed class NumpyInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NumPy_loads_what_Arc_wrote_and_the_bytes_are_what_np_save_writes()
    {
        using var scratch = new Scratch();
        foreach (var (name, _, _) in NpyCases.All)
            await Npy.WriteAsync(scratch[$"cs_{name}.npy"], NpyCases.Case(name), Ct);

        var output = Python.NpyCheck("check", scratch.Path);
        Assert.Contains($"checked {NpyCases.All.Length} files, 0 failures", output);
    }

    [Fact]
    public void Arc_reads_what_NumPy_wrote()
    {
        using var scratch = new Scratch();
        Python.NpyCheck("write", scratch.Path);

        foreach (var (name, _, _) in NpyCases.All)
        {
            var read = Npy.Read(scratch[$"np_{name}.npy"]);
            Assert.True(NpyCases.Case(name).ContentEquals(read), $"np_{name}.npy read as {read}, not the expected {NpyCases.Case(name)}");
        }
        Assert.True(NpyCases.Case("int32").ContentEquals(Npy.Read(scratch["np_v2.npy"])), "format 2.0");
    }

    [Fact]
    public void Arc_reads_NumPy_text_and_records_as_texts_and_tables()
    {
        using var scratch = new Scratch();
        Python.NpyCheck("write", scratch.Path);

        // NumPy keeps U+0000 inside a text and drops it only at the end.
        Assert.Equal(NpyCases.Texts, ReadAll<TextData>(scratch["np_text.npy"], new TextForm()).Texts);

        var table = ReadAll<TableData>(scratch["np_records.npy"], new TableForm());
        Assert.Equal(["x", "n", "word", "flag"], table.ColumnNames);
        Assert.Equal([1.5f, -0f, 3.25f], table["x"].Values!.ToArray<float>());
        Assert.Equal([-7L, 1L << 40, 0L], table["n"].Values!.ToArray<long>());
        Assert.Equal(["α", "", "long text"], table["word"].Strings);
        Assert.Equal([true, false, true], table["flag"].Values!.ToArray<bool>());

        var v3 = ReadAll<TableData>(scratch["np_v3.npy"], new TableForm());
        Assert.Equal(["größe", "ñ"], v3.ColumnNames);
        Assert.Equal([2.5], v3["ñ"].Values!.ToArray<double>());
    }

    [Theory]
    [InlineData("np_fortran.npy", "Fortran order")]
    [InlineData("np_bigendian.npy", "big-endian")]
    [InlineData("np_object.npy", "pickles")]
    public void What_Arc_cannot_hold_is_refused_by_name(string file, string reason)
    {
        using var scratch = new Scratch();
        Python.NpyCheck("write", scratch.Path);

        var error = Assert.ThrowsAny<DatasetFormatException>(() => Npy.Read(scratch[file]));
        Assert.Equal(scratch[file], error.File);
        Assert.Contains(reason, error.Message);
    }

    private static T ReadAll<T>(string path, DataForm<T> form) where T : IArcData<T>
    {
        using var file = NpyRowReader.Open(path);
        return form.FromRows(new NpyLayout(file.Header.DType, file.RowShape), file.Rows, file.ReadRows(0, file.Rows), DataFacts.None);
    }
}
