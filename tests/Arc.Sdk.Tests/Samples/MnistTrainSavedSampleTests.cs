using System.Diagnostics;
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
        string sample = Path.Combine(RepositoryFiles.Root, "samples", "Mnist", "bin", "Release", "net10.0", "Mnist.dll");
        Assert.True(File.Exists(sample), $"the MNIST sample is not built at {sample}: build Arc.Sdk.sln -c Release first");
        var scratch = TestScratch.Create();
        try
        {
            var layout = ArtifactReference.ForLayout(Path.Combine(scratch.FullName, "artifacts"));
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in new[] { sample, "--train-saved", "--max-per-digit", "20", "--epochs", "1", "--artifacts", layout.ToString() })
                start.ArgumentList.Add(argument);
            start.Environment["ARC_CACHE"] = Path.Combine(scratch.FullName, "cache"); // the bundles the workers load from
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(Ct);
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            using (var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                guard.CancelAfter(HangGuard);
                try { await process.WaitForExitAsync(guard.Token); }
                catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
            }
            string output = await stdout, errors = await stderr;
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{output}\n{errors}");

            var trained = TrainedLine().Matches(output).ToList();
            Assert.True(trained.Count == 2, output);
            var workers = trained.Select(m => int.Parse(m.Groups["worker"].Value)).ToArray();
            Assert.Equal(2, workers.Distinct().Count());
            Assert.DoesNotContain(process.Id, workers);
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
