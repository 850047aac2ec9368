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
        var scratch = TestScratch.Create();
        try
        {
            string datasets = Path.Combine(scratch.FullName, "datasets");
            string output = (await SampleProgram.RunAsync("Language", ["--quick", "--out", datasets],
                new Dictionary<string, string?> { ["ARC_TRACKING_URI"] = null }, HangGuard, Ct)).Output;

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
