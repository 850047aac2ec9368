namespace Arc.CommandLine.Tests;

/// <summary>What the generated command line says and returns for bad input.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task AnUnknownOptionGetsUsageADidYouMeanAndExitCode2()
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, "train", "--model", "convclassifier", "--epoch", "3");
        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("--epoch", stderr);
        Assert.Contains("did you mean --epochs?", stderr);
        Assert.Contains("usage: ", stderr);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "runs")), "a refused command must not start a run");
    }

    [Fact]
    public async Task AWronglyTypedValueNamesTheOptionAndTheType()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = await MnistProgram.RunAsync(temp.Path, "train", "--model", "convclassifier", "--channels", "eight");
        Assert.Equal(2, code);
        Assert.Contains("'eight'", stderr);
        Assert.Contains("--channels", stderr);
        Assert.Contains("Int32", stderr);
    }

    [Fact]
    public async Task AMissingDatasetFolderIsNamedWithHowToFetchIt()
    {
        using var temp = new TempFolder();
        string missing = temp["no-such-data"];
        var (code, _, stderr) = await MnistProgram.RunAsync(temp.Path, "train", "--model", "convclassifier", "--dataset-dir", missing);
        Assert.Equal(1, code);
        Assert.Contains(missing, stderr);
        Assert.Contains("does not exist", stderr);
        Assert.Contains("scripts/fetch-mnist.sh", stderr);
    }

    [Fact]
    public async Task AnUnknownModelListsTheModelsThereAre()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = await MnistProgram.RunAsync(temp.Path, "train", "--model", "resnet");
        Assert.Equal(2, code);
        Assert.Contains("no model 'resnet'", stderr);
        Assert.Contains("convclassifier", stderr);
        Assert.Contains("mlpclassifier", stderr);
    }
}
