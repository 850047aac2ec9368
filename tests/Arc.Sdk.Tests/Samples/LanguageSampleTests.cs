using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Samples;

/// <summary>
/// samples/Language run as a user runs it (the built <c>Language.dll</c> in its own process, quick mode, on Debian's
/// fortunes in six languages): it publishes the processed cookies with the fitted vocabulary as a dataset version,
/// trains a TextData → ClassData model from that version, prints its accuracy and names the language of raw texts
/// through the processor loaded back from the version.
/// </summary>
public sealed partial class LanguageSampleTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(6);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sample_names_the_language_of_fortune_cookies_from_a_published_dataset()
    {
        string sample = Path.Combine(RepositoryFiles.Root, "samples", "Language", "bin", "Release", "net10.0", "Language.dll");
        Assert.True(File.Exists(sample), $"the language sample is not built at {sample}: build Arc.Sdk.sln -c Release first");
        var scratch = TestScratch.Create();
        try
        {
            string datasets = Path.Combine(scratch.FullName, "datasets");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in new[] { sample, "--quick", "--out", datasets })
                start.ArgumentList.Add(argument);
            start.Environment.Remove("ARC_TRACKING_URI");
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

            var result = ResultLine().Match(output);
            Assert.True(result.Success, output);
            Assert.Equal("language-classifier", result.Groups["model"].Value);
            // Six languages: chance is 1/6. Measured 0.977 in quick mode; a model that learned nothing fails here.
            double accuracy = double.Parse(result.Groups["accuracy"].Value, CultureInfo.InvariantCulture);
            Assert.InRange(accuracy, 0.85, 1.0);
            Assert.Matches(@"(?m)^  de  Der frühe Vogel", output);
            Assert.Matches(@"(?m)^  en  The early bird", output);

            string version = Path.Combine(datasets, "fortunes", "v1");
            Assert.True(File.Exists(Path.Combine(version, "processor.arc")), output);
            using var meta = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(version, "meta.json"), Ct));
            var content = meta.RootElement.GetProperty("content");
            Assert.Equal("text-vocabulary", content.GetProperty("processor").GetProperty("type").GetString());
            Assert.Equal(("text", "class"), (content.GetProperty("x").GetProperty("type").GetString(), content.GetProperty("y").GetProperty("type").GetString()));
            Assert.Equal(["br", "de", "en", "eo", "es", "it"], content.GetProperty("y").GetProperty("class_names").EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"^model=(?<model>\S+) accuracy=(?<accuracy>[0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();
}
