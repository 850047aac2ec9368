using Arc.Datasets;
using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Torch;
using Arc.Types;

namespace Arc.Models.Tests;

public sealed class FinderTests
{
    private static readonly Func<ModelVersionMetadata, ISupervisedModel<ImageData, ClassData>> Create = _ => SmallData.Model(seed: 1);

    [Fact]
    public async Task Candidates_that_do_not_fit_the_job_are_left_out_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TemporaryFolder();
        using var job = await SmallData.PublishAsync(folder["datasets"], "job", seed: 1);
        using var fits = await SmallData.PublishAsync(folder["datasets"], "fits", seed: 2);
        string[] letters = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        using var lettered = await SmallData.PublishAsync(folder["datasets"], "letters", seed: 3, names: letters);
        var good = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), fits, options: new() { Version = "good" }, cancellationToken: ct);
        var named = await ModelVersion.PublishAsync(folder["models"], LetterModel(letters), lettered, options: new() { Version = "letters" }, cancellationToken: ct);
        var broken = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), fits, options: new() { Version = "broken" }, cancellationToken: ct);
        await File.WriteAllTextAsync(Path.Combine(broken.Folder, "meta.json"), "{ not json", ct);

        var report = await Finder.FindAsync(job, [
            ModelCandidate<ImageData, ClassData>.Published(named.Folder, Create),
            ModelCandidate<ImageData, ClassData>.Published(broken.Folder, Create),
            ModelCandidate<ImageData, ClassData>.Published(good.Folder, Create),
            ModelCandidate<ImageData, ClassData>.Published(folder["models/nowhere"], Create),
        ], new FinderOptions { EvaluateTop = 1 }, ct);

        var kept = Assert.Single(report.Ranked);
        Assert.Equal("good", kept.Metadata.Version);
        Assert.NotNull(kept.Evaluation);
        Assert.Equal(3, report.Rejected.Count);
        Assert.Contains("it names the classes [a, b, c, d, e, f, g, h, i, j] but the job [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", report.Rejected[0].Reason);
        Assert.Equal(named.Folder, report.Rejected[0].Description);
        Assert.Contains("its meta.json cannot be read", report.Rejected[1].Reason);
        Assert.Contains("is not JSON", report.Rejected[1].Reason);
        Assert.Contains($"{Path.Combine(folder["models/nowhere"], "meta.json")}: is missing", report.Rejected[2].Reason);
        Assert.Contains("left out: " + named.Folder, report.Format());
    }

    [Fact]
    public async Task Candidates_are_ranked_by_how_close_the_jobs_data_is_to_their_training_data()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TemporaryFolder();
        // The job's pixels are uniform in [0, 1); the candidates were trained on [0, 1), [0.25, 1) and [0.6, 1).
        using var job = await PublishNoiseAsync(folder["datasets"], "job", 0, 1, seed: 1);
        var candidates = new List<ModelCandidate<ImageData, ClassData>>();
        foreach (var (name, low) in new[] { ("far", 0.6f), ("same", 0f), ("near", 0.25f) })
        {
            using var data = await PublishNoiseAsync(folder["datasets"], name, low, 1, seed: 2);
            var published = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), data, options: new() { Version = name }, cancellationToken: ct);
            candidates.Add(ModelCandidate<ImageData, ClassData>.Published(published.Folder, Create));
        }

        var report = await Finder.FindAsync(job, candidates, new FinderOptions { EvaluateTop = 0 }, ct);

        Assert.Equal(["same", "near", "far"], report.Ranked.Select(e => e.Metadata.Version));
        Assert.Equal([1, 2, 3], report.Ranked.Select(e => e.DistanceRank));
        Assert.All(report.Ranked, e => Assert.Null(e.Evaluation));
        Assert.Null(report.Metric);
        var same = report.Ranked[0].Distance;
        Assert.True(same.Total < 0.1, $"same distribution: {same}");
        Assert.True(report.Ranked[2].Distance.Histogram > 0.5, $"far: {report.Ranked[2].Distance}");
        // The job's values below the far model's range are counted outside its bins.
        Assert.InRange(report.Ranked[2].Distance.Total, report.Ranked[1].Distance.Total, 1);
    }

    [Fact]
    public async Task Every_registered_version_of_a_namespace_is_a_candidate_and_one_without_meta_json_is_left_out()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TemporaryFolder();
        string tracking = "file:" + folder["tracking"];
        using var job = await SmallData.PublishAsync(folder["datasets"], "job", seed: 1);
        using var data = await SmallData.PublishAsync(folder["datasets"], "data", seed: 2);
        var published = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), data,
            options: new() { Version = "v1", Tracking = tracking, TrackingNamespace = "team" }, cancellationToken: ct);
        await using var connection = await Arc.Tracking.Server.TrackingConnection.OpenAsync(tracking, ct);
        // A version saved by other means (an OCI reference only, as training's recorder registers them).
        var other = await connection.Store.CreateModelVersionAsync(
            new Arc.Tracking.ModelVersionDraft(published.Registered!.ModelId) { ArtifactReference = "oci-layout:/nowhere:model-x" }, ct);

        var candidates = await ModelCandidate<ImageData, ClassData>.AllRegisteredAsync(connection, "team", Create, ct);
        Assert.Equal(2, candidates.Count);
        var report = await Finder.FindAsync(job, candidates, new FinderOptions { EvaluateTop = 1 }, ct);

        var kept = Assert.Single(report.Ranked);
        Assert.Equal(published.Metadata.Hash, kept.Metadata.Hash);
        var rejected = Assert.Single(report.Rejected);
        Assert.Contains($"({other.Id})", rejected.Description);
        Assert.Contains("meta.json: is not one of the version's files ()", rejected.Reason);
    }

    [Fact]
    public void The_distance_is_zero_for_the_same_statistics_and_one_for_disjoint_ones()
    {
        var a = new FeatureStatistics("channel 0", 100, 0.25, 0.1, 0, 0.5, new Histogram(0, 0.5, 0, [50, 50], 0));
        var b = new FeatureStatistics("channel 0", 100, 5, 0.1, 4.5, 5.5, new Histogram(0, 0.5, 0, [0, 0], 100));
        var classes = new ClassCounts(["x", "y"], [10, 10]);
        var same = DataDistance.Between(new DataStatistics(100, [a], classes), new DataStatistics(100, [a], classes));
        Assert.Equal(new DataDistance(0, 0, 0, 0), same);
        var apart = DataDistance.Between(new DataStatistics(100, [a], classes), new DataStatistics(100, [b], new ClassCounts(["x", "y"], [0, 10])));
        Assert.Equal(1, apart.Histogram, 12);
        Assert.Equal(1, apart.Moments, 6);
        Assert.Equal(Math.Sqrt(1 - Math.Sqrt(0.5)), apart.Classes, 12);
    }

    private static async Task<DatasetVersion<ImageData, ClassData>> PublishNoiseAsync(string destination, string name, float low, float high, int seed)
    {
        var published = await new DatasetBuilder<ImageData, ClassData>(name)
            .AddSplit(DataSplit.Train, SmallData.Images(64, seed, low, high))
            .AddSplit(DataSplit.Test, SmallData.Images(32, seed + 1, low, high))
            .PublishAsync(destination, "v1");
        return await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path);
    }

    /// <summary>A model whose class names are letters: a hand-made classifier over the same CNN layout.</summary>
    private static LetterClassifier LetterModel(IReadOnlyList<string> letters) => new(letters);

    private sealed class LetterClassifier : Arc.Torch.TorchClassifier<ImageData>
    {
        public LetterClassifier(IReadOnlyList<string> letters) : base(letters)
            => Initialize(TorchSharp.torch.nn.Sequential(TorchSharp.torch.nn.Flatten(), TorchSharp.torch.nn.Linear(MnistDigits.PixelsPerImage, letters.Count)),
                parameters => TorchSharp.torch.optim.SGD(parameters, 0.1));

        protected override TorchSharp.torch.Tensor ToInput(ImageData x) => x.ToTensor(Device);
    }
}
