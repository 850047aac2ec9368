using System.Globalization;
using Arc.Datasets;
using Arc.Models;
using Arc.Samples.FashionMnist;
using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Types;

// Fashion-MNIST end to end (README.md): fit a normalising processor on the raw training images, publish the dataset as
// v1, train the MNIST sample's CNN on it, publish the model version, then predict raw PNG files through processor + model.
SampleOptions options;
try { options = SampleOptions.Parse(args); }
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
Console.WriteLine($"output: {options.Output}");

// 1. Raw data: pixels in raw units (0..255, uint8) and labels as the IDX files hold them ("0".."9").
var (trainPixels, trainLabels, trainCount) = FashionMnistIdx.ReadRaw("train", options.TrainImages, options.Data);
var (testPixels, testLabels, testCount) = FashionMnistIdx.ReadRaw("t10k", options.TestImages, options.Data);
ImageData RawImages(byte[] pixels, int count) => new(ArcArray.From(pixels, count, 1, FashionMnistIdx.Side, FashionMnistIdx.Side));
string[] Names(byte[] labels) => labels.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray();

// 2. Fit the processor on the training split only; it keeps per-channel mean/std and the class names as data.
var processor = new ImageNormalizer();
processor.Fit(RawImages(trainPixels, trainCount), Names(trainLabels));

// 3. Publish v1: the processed splits, the processor's fitted state, tags.
var publishedDataset = await new DatasetBuilder<ImageData, ClassData>("fashion-mnist")
    .AddSplit(DataSplit.Train, processor.Process(RawImages(trainPixels, trainCount), Names(trainLabels)))
    .AddSplit(DataSplit.Test, processor.Process(RawImages(testPixels, testCount), Names(testLabels)))
    .WithProcessor(processor)
    .AddTags("image", "classification", "fashion-mnist")
    .PublishAsync(Path.Combine(options.Output, "datasets"), "v1");
Console.WriteLine($"dataset: {publishedDataset.Path} (sha256:{publishedDataset.Metadata.Hash.Value[..16]}…)");

// 4. Train the MNIST sample's CNN from the published version (streamed from its .npy files) and evaluate it.
using var dataset = await DatasetVersion.OpenAsync<ImageData, ClassData>(publishedDataset.Path);
var model = ConvClassifier.Create(new ConvClassifier.Hyperparameters(Seed: 1));
var history = new TrainingHistory();
await dataset.TrainAsync(model, new TrainOptions { Epochs = options.Epochs, BatchSize = 64 }, history);
var evaluation = await dataset.EvaluateAsync(model);
foreach (var epoch in history.Epochs) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch.Epoch}: loss={epoch.Loss:0.0000} steps={epoch.Steps}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test split: accuracy={evaluation.Metric("accuracy"):0.0000}"));

// 5. Publish the model version, tied to the dataset version (and registered in tracking when asked).
var publishedModel = await ModelVersion.PublishAsync(Path.Combine(options.Output, "models"), model, dataset, history, evaluation, ["fashion-mnist"],
    new ModelPublishOptions { Version = "v1", Tracking = options.Tracking });
Console.WriteLine($"model version: {publishedModel.Folder} (sha256:{publishedModel.Metadata.Hash.Value[..16]}…)"
    + (publishedModel.Registered is { } r ? $", registered as version {r.Number} in {r.Destination}" : ""));

// 6. New data arrives as PNG files. Load what was published — the processor from the dataset version, the model from its
//    version (which checks that this processor is its dataset's) — and predict the files' classes from their raw pixels.
var files = PngFiles.Write(Path.Combine(options.Output, "png"), testPixels, testLabels, Math.Min(options.PngFiles, testCount), FashionMnistIdx.Side);
var loadedProcessor = ImageNormalizer.Load(dataset);
var loaded = ConvClassifier.Create(new ConvClassifier.Hyperparameters());
await ModelVersion.LoadAsync(publishedModel.Folder, loaded, loadedProcessor);
var predicted = await loadedProcessor.PredictRawAsync(loaded, PngFiles.Read(files, FashionMnistIdx.Side));
int correct = files.Where((file, i) => predicted[i] == PngFiles.LabelOf(file)).Count();
for (int i = 0; i < Math.Min(5, files.Count); i++)
    Console.WriteLine($"{Path.GetFileName(files[i])}: {FashionMnistIdx.ArticleNames[int.Parse(predicted[i], CultureInfo.InvariantCulture)]}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model={model.Name} accuracy={(double)correct / files.Count:0.0000}"));
return 0;
