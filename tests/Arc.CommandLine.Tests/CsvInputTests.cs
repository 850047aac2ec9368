using Arc.Types;

namespace Arc.CommandLine.Tests;

/// <summary>
/// <c>infer --input *.csv</c> → <see cref="TableData"/>: how the files are read (header, quotes, column types, several
/// files) and how a bad file is refused, naming the file and line. (No sample program takes tables, so this reads
/// through <c>InputFiles</c> itself, the code infer calls.)
/// </summary>
public sealed class CsvInputTests
{
    [Fact]
    public void ANumericColumnIsFloat32AndAnyOtherIsTextWithQuotesCommasAndOneNamePerRow()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp["a.csv"], "sepal,petal,name\r\n5.1,1.4,\"setosa, small\"\r\n4.9,NaN,\"say \"\"hi\"\"\"\r\n");
        File.WriteAllText(temp["b.csv"], "sepal,petal,name\n\n-7e-1,3,\"two\nlines\"\n");

        var files = InputFiles.Expand([temp.Path]);
        Assert.Equal([temp["a.csv"], temp["b.csv"]], files);
        var (table, names) = InputFiles.Read<TableData>(files, inputShape: null);

        Assert.Equal(["a.csv:2", "a.csv:3", "b.csv:3"], names);
        Assert.Equal(3, table.Count);
        Assert.Equal([5.1f, 4.9f, -0.7f], table["sepal"].Values!.ToArray<float>());
        var petal = table["petal"].Values!.ToArray<float>();
        Assert.Equal(1.4f, petal[0]);
        Assert.True(float.IsNaN(petal[1]));
        Assert.Equal("float32", table["petal"].DTypeName);
        Assert.Equal(["setosa, small", "say \"hi\"", "two\nlines"], table["name"].Strings);
    }

    [Fact]
    public void ABadFileIsRefusedWithItsNameAndLine()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp["short.csv"], "a,b\n1,2\n3\n");
        var error = Assert.Throws<CommandLineException>(() => InputFiles.Read<TableData>([temp["short.csv"]], null));
        Assert.Contains("short.csv line 3 has 1 cells; the header has 2", error.Message);

        File.WriteAllText(temp["open.csv"], "a,b\n1,\"2\n");
        error = Assert.Throws<CommandLineException>(() => InputFiles.Read<TableData>([temp["open.csv"]], null));
        Assert.Contains("open.csv line 2: a quoted cell is never closed", error.Message);

        File.WriteAllText(temp["other.csv"], "a,c\n1,2\n");
        File.WriteAllText(temp["good.csv"], "a,b\n1,2\n");
        error = Assert.Throws<CommandLineException>(() => InputFiles.Read<TableData>([temp["good.csv"], temp["other.csv"]], null));
        Assert.Contains("other.csv has the columns a,c, but", error.Message);

        File.WriteAllText(temp["header.csv"], "a,,a\n1,2,3\n");
        error = Assert.Throws<CommandLineException>(() => InputFiles.Read<TableData>([temp["header.csv"]], null));
        Assert.Contains("header.csv line 1", error.Message);

        File.WriteAllText(temp["empty.csv"], "");
        error = Assert.Throws<CommandLineException>(() => InputFiles.Read<TableData>([temp["empty.csv"]], null));
        Assert.Contains("empty.csv is empty", error.Message);

        error = Assert.Throws<CommandLineException>(() => InputFiles.Read<TableData>([temp["good.csv"], temp["a.png"]], null));
        Assert.Contains("a.png is not a .csv file", error.Message);
    }
}
