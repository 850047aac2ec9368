using Arc.Datasets;
using Arc.Samples.Language;
using Arc.Sdk;
using Arc.Types;

// Names the language of a fortune cookie. Reads Debian's fortunes in six languages, fits a word vocabulary on the
// training split, publishes the processed texts with the fitted processor as dataset fortunes:v1, opens that version
// (hash verified), trains a TorchSharp classifier from it, evaluates on its test split and predicts raw texts through
// the loaded processor. Options: --quick (fewer cookies and epochs, for tests), --fortunes <dir>, --out <dir> (keep
// the published dataset there; by default it goes to a temporary folder that is removed at the end).
bool quick = args.Contains("--quick");
string fortunes = Option("--fortunes") ?? FortuneCookies.DefaultFolder;
string? keep = Option("--out");
string destination = keep ?? Directory.CreateTempSubdirectory("arc-language-").FullName;
try
{
    var cookies = FortuneCookies.Load(fortunes, perLanguage: quick ? 400 : 2000, seed: 1);
    int testCount = cookies.Count / 5;
    var test = cookies.Take(testCount).ToList();
    var train = cookies.Skip(testCount).ToList();
    Console.WriteLine($"fortune cookies: {train.Count} for training, {test.Count} for testing, from {fortunes}");
    foreach (var group in cookies.GroupBy(c => c.Language).OrderBy(g => g.Key, StringComparer.Ordinal))
        Console.WriteLine($"  {group.Key}: {group.Count()}");

    var processor = new TextVocabulary(maxWords: 30_000);
    processor.Fit(train.Select(c => c.Text).ToArray(), train.Select(c => c.Language).ToArray());
    var published = await new DatasetBuilder<TextData, ClassData>("fortunes")
        .AddSplit(DataSplit.Train, processor.Process(train.Select(c => c.Text).ToArray(), train.Select(c => c.Language).ToArray()))
        .AddSplit(DataSplit.Test, processor.Process(test.Select(c => c.Text).ToArray(), test.Select(c => c.Language).ToArray()))
        .WithProcessor(processor)
        .AddTags("text", "language", "fortunes")
        .PublishAsync(destination, "v1");
    Console.WriteLine($"published {published.Path} ({published.Metadata.SizeBytes:N0} bytes, {processor.State.Words.Length:N0} words, hash {published.Metadata.Hash.Value[..12]}…)");

    using var version = await DatasetVersion.OpenAsync<TextData, ClassData>(published.Path);
    using var model = new LanguageClassifier(seed: 1);
    await version.TrainAsync(model, new TrainOptions { Epochs = quick ? 4 : 8, BatchSize = 64 });
    var report = await version.EvaluateAsync(model);
    Console.Write(report.Classification!.Format());

    // A new process would do just this: the processor from the dataset version, raw text in, language names out.
    var loaded = TextVocabulary.Load(version);
    string[] samples = ["Der frühe Vogel fängt den Wurm.", "The early bird catches the worm.", "Chi dorme non piglia pesci."];
    var languages = await loaded.PredictRawAsync(model, samples);
    for (int i = 0; i < samples.Length; i++) Console.WriteLine($"  {languages[i]}  {samples[i]}");

    Console.WriteLine(FormattableString.Invariant($"model={model.Name} accuracy={report.Metric("accuracy"):F4}"));
}
finally
{
    if (keep is null) Directory.Delete(destination, recursive: true);
}

string? Option(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
