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
    public async Task DevicesAreCheckedBeforeAnythingRuns()
    {
        using var temp = new TempFolder();
        var (badCode, _, badError) = await MnistProgram.RunAsync(temp.Path, "train", "--model", "convclassifier", "--device", "gpu");
        Assert.Equal(2, badCode);
        Assert.Contains("--device: 'gpu' is not a device", badError);

        // No machine here has eight GPUs: the message names the device whether CUDA is missing or has fewer devices.
        var (missingCode, _, missingError) = await MnistProgram.RunAsync(temp.Path, "train", "--model", "convclassifier", "--device", "cuda:7");
        Assert.Equal(1, missingCode);
        Assert.Contains("--device: device cuda:7 was requested", missingError);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "runs")));
    }

    [Fact]
    public async Task TheChosenDeviceReachesTheModel()
    {
        using var temp = new TempFolder();
        string run = temp["cpu"];
        var (code, _, stderr) = await MnistProgram.RunAsync(temp.Path, "train", "--model", "mlpclassifier", "--max-per-digit", "10", "--device", "cpu", "--output-dir", run, "--outputs", "log");
        Assert.True(code == 0, stderr);
        Assert.Contains("model mlpclassifier on cpu", File.ReadAllText(Path.Combine(run, "log.txt")));
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
