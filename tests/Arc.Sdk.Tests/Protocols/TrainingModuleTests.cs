using Arc.Artifacts;
using Arc.Sdk.Tests.Deploy;
using Arc.Sdk.Tests.Support;
using Arc.Types;

namespace Arc.Sdk.Tests.Protocols;

/// <summary>A job for <see cref="NearestMeanModel"/>: <see cref="DeployTestData.Levels"/> images, <c>count</c> of them per split.</summary>
[Job]
public partial class ProtocolLevelsJob : SupervisedJob<ImageData, ClassData>
{
    private readonly int _count;

    /// <summary>A job of <paramref name="count"/> images per split.</summary>
    public ProtocolLevelsJob(int count = 32) => _count = count;

    /// <inheritdoc />
    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
    {
        var (images, classes) = DeployTestData.Levels(_count, split == DataSplit.Train ? 1 : 2);
        return ValueTask.FromResult(new Batch<ImageData, ClassData>(images, classes));
    }
}

/// <summary>A training module of the user's own (seed 004's "script" written by hand): created by name.</summary>
public sealed class HandWrittenTrainingModule : ITrainingModule
{
    /// <inheritdoc />
    public Task TrainAsync(string modelDirectory, IReadOnlyList<string> arguments, bool tensorBoardEnabled = false,
        string tensorBoardDirectory = "logs", Microsoft.Extensions.Logging.ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(modelDirectory);
        File.WriteAllLines(Path.Combine(modelDirectory, "arguments.txt"), arguments);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The generated <see cref="ITrainingModule"/> of a <c>[Model]</c>, found through <see cref="ProtocolModules"/> as an
/// archive entry finds it, trains on a named job and writes a model directory that <see cref="ModelDirectory.LoadAsync{X,Y}"/>
/// turns back into the same model.
/// </summary>
public sealed class TrainingModuleTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly DirectoryInfo _root = TestScratch.Create();

    [Fact]
    public async Task TheGeneratedModuleTrainsOnTheNamedJobAndTheModelDirectoryLoadsBack()
    {
        var assembly = typeof(NearestMeanModel).Assembly;
        var module = ProtocolModules.Create<ITrainingModule>(assembly, typeof(NearestMeanModel).FullName);
        Assert.IsType<NearestMeanModel.TrainingModule>(module);
        Assert.IsType<NearestMeanModel.TrainingModule>(ProtocolModules.Create<ITrainingModule>(assembly, NearestMeanModel.Registration.Name));

        string directory = Path.Combine(_root.FullName, "model");
        await module.TrainAsync(directory, ["--job", ProtocolLevelsJob.Registration.Name, "--epochs", "2", "--batch-size", "8", "--count", "40", "--offset=0.25"],
            cancellationToken: Ct);

        var info = ModelDirectory.ReadInfo(directory);
        Assert.Equal(NearestMeanModel.Registration.Name, info.Model);
        Assert.Equal(ProtocolLevelsJob.Registration.Name, info.Job);
        Assert.Equal((2, 10L, 80L), (info.Epochs, info.Steps, info.Samples));
        Assert.Equal(0.25, info.Hyperparameters!.Value.GetProperty("offset").GetDouble(), 6);
        Assert.Equal(40, info.JobParameters!.Value.GetProperty("count").GetInt32());

        // The same training by hand gives the same predictions as the model loaded back.
        var expected = new NearestMeanModel(offset: 0.25f);
        await new ProtocolLevelsJob(40).TrainAsync(expected, new TrainOptions { Epochs = 2, BatchSize = 8 }, cancellationToken: Ct);
        var loaded = await ModelDirectory.LoadAsync<ImageData, ClassData>(directory, Ct);
        var (images, _) = DeployTestData.Levels(16, 7);
        Assert.Equal(expected.Predict(images).IndexSpan.ToArray(), (await loaded.PredictAsync(images, Ct)).IndexSpan.ToArray());
    }

    [Fact]
    public async Task BadArgumentsAreRefusedBeforeAnythingIsWritten()
    {
        var module = ProtocolModules.Create<ITrainingModule>(typeof(NearestMeanModel).Assembly, typeof(NearestMeanModel).FullName);
        string directory = Path.Combine(_root.FullName, "model");
        string job = ProtocolLevelsJob.Registration.Name;

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => module.TrainAsync(directory, ["--job", job, "--ofset", "1"], cancellationToken: Ct));
        Assert.Contains("--ofset", unknown.Message);
        Assert.Contains("--offset", unknown.Message);
        var wrongType = await Assert.ThrowsAsync<ArgumentException>(() => module.TrainAsync(directory, ["--job", job, "--classes", "many"], cancellationToken: Ct));
        Assert.Contains("--classes 'many' is not an integer", wrongType.Message);
        var noJob = await Assert.ThrowsAsync<ArgumentException>(() => module.TrainAsync(directory, ["--job", "no-such-job"], cancellationToken: Ct));
        Assert.Contains(job, noJob.Message);
        // The model's own constructor refuses the value (ArgumentOutOfRangeException): it arrives as it was thrown.
        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => module.TrainAsync(directory, ["--job", job, "--classes", "1"], cancellationToken: Ct));
        Assert.Contains("classes", refused.Message);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task AModuleOfTheUsersOwnIsCreatedByNameAndOtherNamesListWhatThereIs()
    {
        var assembly = typeof(HandWrittenTrainingModule).Assembly;
        var module = ProtocolModules.Create<ITrainingModule>(assembly, typeof(HandWrittenTrainingModule).FullName);
        string directory = Path.Combine(_root.FullName, "own");
        await module.TrainAsync(directory, ["a", "--b"], cancellationToken: Ct);
        Assert.Equal(["a", "--b"], File.ReadAllLines(Path.Combine(directory, "arguments.txt")));

        var notAModule = Assert.Throws<InvalidOperationException>(() => ProtocolModules.Create<ITrainingModule>(assembly, typeof(DeployTestData).FullName));
        Assert.Contains("does not implement", notAModule.Message);
        var nothing = Assert.Throws<InvalidOperationException>(() => ProtocolModules.Create<ITrainingModule>(assembly, "No.Such.Type"));
        Assert.Contains(typeof(NearestMeanModel).FullName!, nothing.Message);
        var ambiguous = Assert.Throws<InvalidOperationException>(() => ProtocolModules.Create<ITrainingModule>(assembly, null));
        Assert.Contains("exactly one [Model]", ambiguous.Message);
    }

    [Fact]
    public void ManifestsKeepTheSeedsDefaultsAndUnknownFieldsAndNameAWrongField()
    {
        var defaults = ModelArchiveManifest.Parse("{}"u8, "test");
        Assert.Equal(("", null, null, "logs", "%Y-%m-%dT%H-%M-%S.log", false, "tb_logs"),
            (defaults.Module, defaults.TrainingScript, defaults.ServingScript, defaults.LogDirectory, defaults.LogNamingFormat, defaults.EnableTensorboard, defaults.TensorboardDirectory));

        var extra = ModelArchiveManifest.Parse("""{"trainingScript": "bin/M.dll:Ns.T", "owner": {"team": "vision"}, "tags": [1, 2]}"""u8, "test");
        Assert.Equal(new ModuleEntry("bin/M.dll", "Ns.T"), extra.TrainingEntry);
        string written = System.Text.Encoding.UTF8.GetString(extra.ToJson());
        Assert.Contains("\"owner\": {\n    \"team\": \"vision\"\n  }", written.Replace("\r\n", "\n"));
        Assert.Equal(extra.TrainingScript, ModelArchiveManifest.Parse(extra.ToJson(), "again").TrainingScript);

        Assert.Contains("'enableTensorboard'", Assert.Throws<ArtifactFormatException>(() => ModelArchiveManifest.Parse("""{"enableTensorboard": 1}"""u8, "t")).Message);
        Assert.Contains("module", Assert.Throws<ArtifactFormatException>(() => ModelArchiveManifest.Parse("""{"module": "../up"}"""u8, "t")).Message);
        Assert.Contains("not a .dll", Assert.Throws<ArtifactFormatException>(() => ModelArchiveManifest.Parse("""{"servingScript": "serve.py"}"""u8, "t")).Message);
        Assert.Contains("one JSON object", Assert.Throws<ArtifactFormatException>(() => ModelArchiveManifest.Parse("[]"u8, "t")).Message);
    }

    [Theory]
    [InlineData("%Y-%m-%dT%H-%M-%S.log", "2026-03-07T09-05-01.log")]
    [InlineData("run_%y%j_%I%p_%%.txt", "run_26066_09AM_%.txt")]
    [InlineData("%a %b %d %s", "Sat Mar 07 1772874301")]
    public void StrftimeFormatsLikeC(string format, string expected)
        => Assert.Equal(expected, Strftime.Format(format, new DateTimeOffset(2026, 3, 7, 9, 5, 1, TimeSpan.Zero)));

    [Fact]
    public void StrftimeRefusesWhatItDoesNotKnow()
        => Assert.Contains("%Q", Assert.Throws<FormatException>(() => Strftime.Format("log-%Q", DateTimeOffset.UnixEpoch)).Message);

    public void Dispose() => _root.Delete(recursive: true);
}
