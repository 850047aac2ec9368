using System.Text.RegularExpressions;
using Arc.Artifacts;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Samples;

/// <summary>
/// The MNIST sample's <c>--train-saved</c> mode, run as a user runs it (the built <c>Mnist.dll</c> in a process of its
/// own, on a few real digits): it saves its two models, trains them by reference with <c>Trainer.TrainAsync</c> on
/// <c>Target.LocalProcess</c>, each in a worker of its own, and saves the trained copies with their parents named.
/// </summary>
public sealed partial class MnistTrainSavedSampleTests
{
    /// <summary>Starting three processes and training on a loaded machine may take minutes; past this the test fails instead of hanging.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sample_trains_its_two_saved_models_by_reference_each_in_its_own_worker_and_saves_their_children()
    {
        var scratch = TestScratch.Create();
        try
        {
            var layout = ArtifactReference.ForLayout(Path.Combine(scratch.FullName, "artifacts"));
            var (output, sampleProcess) = await SampleProgram.RunAsync("Mnist",
                ["--train-saved", "--max-per-digit", "20", "--epochs", "1", "--artifacts", layout.ToString()],
                new Dictionary<string, string?> { ["ARC_CACHE"] = Path.Combine(scratch.FullName, "cache") }, // the bundles the workers load from
                HangGuard, Ct);

            var trained = TrainedLine().Matches(output).ToList();
            Assert.True(trained.Count == 2, output);
            var workers = trained.Select(m => int.Parse(m.Groups["worker"].Value)).ToArray();
            Assert.Equal(2, workers.Distinct().Count());
            Assert.DoesNotContain(sampleProcess, workers);
            var names = new List<string>();
            foreach (var line in trained)
            {
                var child = ArtifactReference.Parse(line.Groups["saved"].Value);
                Assert.Equal(layout.Repository, child.Repository);
                var config = await SavedModel.InspectAsync(child, cancellationToken: Ct);
                Assert.Equal(line.Groups["parent"].Value, config.Parent);
                var parent = await SavedModel.InspectAsync(ArtifactReference.Parse(config.Parent!), cancellationToken: Ct);
                Assert.Null(parent.Parent);
                Assert.Equal(parent.Name, config.Name);
                names.Add(config.Name);
            }
            Assert.Equal(["convclassifier", "mlpclassifier"], names.Order());
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"^trained (?<saved>\S+) parent=(?<parent>\S+) accuracy=[0-9.]+ worker=(?<worker>\d+)$", RegexOptions.Multiline)]
    private static partial Regex TrainedLine();
}
