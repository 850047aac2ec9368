using System.Text.Json;
using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets.Tests.Processing;

/// <summary>
/// [Processor] classes: fitted on the training split, kept as data in processor.arc, loaded back from a dataset
/// version into a processor that transforms and inverts exactly as the fitted one; a saved model plus the loaded
/// processor predicts class names from raw pixels; a state of another processor type is refused naming the file.
/// </summary>
public sealed class ProcessorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two channels in raw units (0–255): "dark" images are near 20 and 200, "bright" ones near 220 and 40.</summary>
    private static (ImageData Images, string[] Names) Raw(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 2 * 2 * 2];
        var names = new string[count];
        for (int n = 0; n < count; n++)
        {
            bool bright = random.Next(2) == 1;
            names[n] = bright ? "bright" : "dark";
            for (int i = 0; i < 4; i++)
            {
                pixels[n * 8 + i] = (byte)((bright ? 220 : 20) + random.Next(-10, 11));
                pixels[n * 8 + 4 + i] = (byte)((bright ? 40 : 200) + random.Next(-10, 11));
            }
        }
        return (new ImageData(ArcArray.From(pixels, count, 2, 2, 2)), names);
    }

    [Fact]
    public void The_image_normalizer_fits_per_channel_moments_and_inverts_to_raw_units()
    {
        // Channel 0 holds 0, 2, 4, 6 (mean 3, std √5); channel 1 is constant 7 (std below minStd → minStd).
        var raw = new ImageData(ArcArray.From(new byte[] { 0, 2, 4, 6, 7, 7, 7, 7 }, 1, 2, 2, 2));
        var processor = new ImageNormalizer(minStd: 0.5);
        Assert.False(processor.IsFitted);
        Assert.Contains("not fitted", Assert.Throws<InvalidOperationException>(() => processor.ProcessInputs(raw)).Message);

        processor.Fit(raw, ["b"]);
        Assert.Equal([3.0, 7.0], processor.State.Mean);
        Assert.Equal(Math.Sqrt(5), processor.State.Std[0], 12);
        Assert.Equal(0.5, processor.State.Std[1]);

        var x = processor.ProcessInputs(raw);
        Assert.Equal(ArcDType.Float32, x.Pixels.DType);
        Assert.Equal((float)(-3 / Math.Sqrt(5)), x.Pixels.AsSpan<float>()[0], 5);
        Assert.Equal(0f, x.Pixels.AsSpan<float>()[4]);
        Assert.Equal([0f, 2, 4, 6, 7, 7, 7, 7], processor.InvertInputs(x).Pixels.ToArray<float>().Select(v => MathF.Round(v, 4)));
        Assert.Equal(["b"], processor.InvertTargets(processor.ProcessTargets(["b"])));
        var unknown = Assert.Throws<ArgumentException>(() => processor.ProcessTargets(["c"]));
        Assert.Contains("'c', which is not one of the 1 classes", unknown.Message);
    }

    [Fact]
    public void The_text_vocabulary_keeps_the_most_frequent_training_words_and_marks_the_rest_unknown()
    {
        var processor = new TextVocabulary(maxWords: 3, minCount: 2);
        processor.Fit(["Der Hund, der Hund!", "the dog and the cat", "the cat's dog"], ["de", "en", "en"]);
        Assert.Equal(["the", "der", "dog"], processor.State.Words.Take(3));
        Assert.Equal(["de", "en"], processor.State.ClassNames);
        var x = processor.ProcessInputs(["The DOG ate der Kuchen"]);
        Assert.Equal("the dog <unk> der <unk>", x[0]);
        Assert.Equal([1L, 0], processor.ProcessTargets(["en", "de"]).IndexSpan.ToArray());
    }

    [Fact]
    public async Task A_published_processor_is_data_and_loads_back_into_one_that_processes_the_same()
    {
        using var scratch = new Scratch();
        var (images, names) = Raw(40, seed: 1);
        var processor = new ImageNormalizer(minStd: 1e-3);
        processor.Fit(images, names);
        var published = await new DatasetBuilder<ImageData, ClassData>("bright")
            .AddSplit(DataSplit.Train, processor.Process(images, names))
            .WithProcessor(processor)
            .PublishAsync(scratch.Path, "v1", Ct);

        Assert.Equal(new DatasetProcessorInfo("image-normalizer", """{"minStd":0.001}""", "processor.arc"), published.Metadata.Processor);
        // The state file names no .NET type: only the processor's own name, its parameters and the fitted numbers.
        byte[] state = await File.ReadAllBytesAsync(Path.Combine(published.Path, "processor.arc"), Ct);
        string json = MessagePack.MessagePackSerializer.ConvertToJson(state, cancellationToken: Ct);
        using (var document = JsonDocument.Parse(json))
        {
            var root = document.RootElement;
            Assert.Equal(["format", "format_version", "type", "parameters", "state"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal("image-normalizer", root.GetProperty("type").GetString());
            Assert.Equal(["Mean", "Std", "ClassNames"], root.GetProperty("state").EnumerateObject().Select(p => p.Name));
            Assert.Equal(["bright", "dark"], root.GetProperty("state").GetProperty("ClassNames").EnumerateArray().Select(e => e.GetString()));
        }
        Assert.DoesNotContain("Arc.Datasets", json, StringComparison.Ordinal);

        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, cancellationToken: Ct);
        var loaded = ImageNormalizer.Load(version);
        Assert.Equal(processor.GetParameters(), loaded.GetParameters());
        Assert.Equal(processor.State.Mean, loaded.State.Mean);
        Assert.Equal(processor.State.Std, loaded.State.Std);
        var (fresh, _) = Raw(5, seed: 2);
        Assert.True(processor.ProcessInputs(fresh).ContentEquals(loaded.ProcessInputs(fresh)));
    }

    [Fact]
    public async Task A_saved_model_and_its_datasets_processor_predict_class_names_from_raw_pixels()
    {
        using var scratch = new Scratch();
        var (images, names) = Raw(64, seed: 3);
        var processor = new ImageNormalizer();
        processor.Fit(images, names);
        var published = await new DatasetBuilder<ImageData, ClassData>("bright")
            .AddSplit(DataSplit.Train, processor.Process(images, names))
            .WithProcessor(processor)
            .PublishAsync(scratch.Path, "v1", Ct);

        string weights = scratch["model.bin"];
        using (var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, cancellationToken: Ct))
        {
            using var model = new TinyClassifier(8, version.Metadata.Y.Names!);
            await version.TrainAsync(model, new TrainOptions { Epochs = 30, BatchSize = 16 }, cancellationToken: Ct);
            await using var file = File.Create(weights);
            model.SaveWeights(file);
        }

        // A later process: the model from its weights, the processor from the dataset version, raw pixels in, names out.
        using var reopened = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, cancellationToken: Ct);
        var loaded = ImageNormalizer.Load(reopened);
        using var restored = new TinyClassifier(8, reopened.Metadata.Y.Names!);
        await using (var file = File.OpenRead(weights)) restored.LoadWeights(file);
        var (fresh, truth) = Raw(20, seed: 4);
        var predicted = await loaded.PredictRawAsync(restored, fresh, Ct);
        Assert.Equal(truth, predicted);
    }

    [Fact]
    public async Task A_processor_state_of_another_type_is_refused_naming_the_file()
    {
        using var scratch = new Scratch();
        var vocabulary = new TextVocabulary();
        vocabulary.Fit(["ein Hund", "a dog"], ["de", "en"]);
        var published = await new DatasetBuilder<TextData, ClassData>("words")
            .AddSplit(DataSplit.Train, vocabulary.Process(["ein Hund", "a dog"], ["de", "en"]))
            .WithProcessor(vocabulary)
            .PublishAsync(scratch.Path, "v1", Ct);
        string file = Path.Combine(published.Path, "processor.arc");

        var wrongType = Assert.Throws<DatasetFormatException>(() => ImageNormalizer.Load(file));
        Assert.Equal(file, wrongType.File);
        Assert.StartsWith(file + ": is the state of a text-vocabulary processor, not of a image-normalizer", wrongType.Message);

        // The same file loads as what it is.
        Assert.Equal(vocabulary.State.Words, TextVocabulary.Load(file).State.Words);

        string corrupt = scratch["corrupt.arc"];
        await File.WriteAllBytesAsync(corrupt, [0x93, 0x4e, 0x55], Ct);
        var notState = Assert.Throws<DatasetFormatException>(() => TextVocabulary.Load(corrupt));
        Assert.StartsWith(corrupt + ": is not a processor state", notState.Message);

        // A state whose members do not fit: the right type name, but a number where the words should be.
        var bytes = vocabulary.ToStateBytes();
        string forged = scratch["forged.arc"];
        await File.WriteAllBytesAsync(forged, Forge(bytes), Ct);
        var badState = Assert.Throws<DatasetFormatException>(() => TextVocabulary.Load(forged));
        Assert.StartsWith(forged + ": holds a fitted state that processor text-vocabulary cannot read", badState.Message);
    }

    /// <summary>processor.arc with its state replaced by <c>{"Words": 5, "ClassNames": []}</c>.</summary>
    private static byte[] Forge(byte[] original)
    {
        var (parameters, _) = ProcessorStateFile.Read(original, "original", TextVocabulary.ProcessorName);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePack.MessagePackWriter(buffer);
        writer.WriteMapHeader(5);
        writer.Write("format"); writer.Write(ProcessorStateFile.Format);
        writer.Write("format_version"); writer.Write(1);
        writer.Write("type"); writer.Write(TextVocabulary.ProcessorName);
        writer.Write("parameters"); writer.WriteRaw(parameters.Span);
        writer.Write("state"); writer.WriteMapHeader(2); writer.Write("Words"); writer.Write(5); writer.Write("ClassNames"); writer.WriteArrayHeader(0);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
