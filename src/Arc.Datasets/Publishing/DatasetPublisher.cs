using System.Text;
using System.Text.Json;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// Publishes a dataset version to a local folder: writes everything into <c>&lt;name&gt;/.publishing-&lt;owner&gt;-…</c>,
/// hashes it, writes meta.json, flushes files and folders to disk and renames the folder to <c>&lt;name&gt;/&lt;version&gt;</c>.
/// A publish killed midway leaves only its hidden temporary folder, which the next publish of the same dataset sweeps
/// once its owner is dead (<see cref="OwnedNames"/>).
/// </summary>
internal static class DatasetPublisher
{
    /// <summary>The prefix of a publish's temporary folder, beside the versions.</summary>
    public const string TemporaryPrefix = ".publishing-";

    /// <summary>The processor's state file.</summary>
    public const string ProcessorFile = "processor.arc";

    /// <summary>A temporary folder whose owner looks dead is swept only after it was idle this long (an owner in another pid namespace looks dead).</summary>
    private static readonly TimeSpan DeadWriterIdle = TimeSpan.FromMinutes(1);

    /// <summary>What to publish.</summary>
    public sealed record Plan<X, Y>(string Name, string Version, IReadOnlyList<(DataSplit Split, IAsyncEnumerable<Batch<X, Y>> Batches)> Splits,
        IReadOnlyList<string> Tags, string? Raw, IDatasetProcessor? Processor)
        where X : IArcData<X>
        where Y : IArcData<Y>;

    public static async Task<PublishedDataset> PublishAsync<X, Y>(Plan<X, Y> plan, string destination, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        string parent = Path.Combine(destination, plan.Name);
        string final = Path.Combine(parent, plan.Version);
        if (Path.Exists(final)) throw new DatasetVersionExistsException(final);
        DurableFile.CreateDirectory(parent);
        OwnedNames.SweepDead(parent, TemporaryPrefix, DeadWriterIdle);
        string temporary = Path.Combine(parent, OwnedNames.New(TemporaryPrefix));
        Directory.CreateDirectory(temporary);
        try
        {
            var meta = await WriteAsync(plan, temporary, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                DurableFile.PublishDirectory(temporary, final);
            }
            catch (IOException) when (Path.Exists(final))
            {
                throw new DatasetVersionExistsException(final); // another publish of the same version won the race
            }
            return new PublishedDataset(final, meta);
        }
        catch
        {
            try { Directory.Delete(temporary, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the sweep of a later publish removes it */ }
            throw;
        }
    }

    private static async Task<DatasetMetadata> WriteAsync<X, Y>(Plan<X, Y> plan, string folder, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var xForm = DataForms.For<X>();
        var yForm = DataForms.For<Y>();
        var written = new List<SplitWriter.Written>();
        foreach (var (split, batches) in plan.Splits)
        {
            var next = await SplitWriter.WriteAsync(folder, split, batches, cancellationToken).ConfigureAwait(false);
            if (written.Count > 0) CheckAgrees(written[0], next, xForm, yForm);
            written.Add(next);
        }
        if (plan.Raw is not null)
            await RawCopy.CopyAsync(plan.Raw, Path.Combine(folder, "raw"), cancellationToken).ConfigureAwait(false);
        var processor = plan.Processor is null ? null : await WriteProcessorAsync(plan.Processor, folder, cancellationToken).ConfigureAwait(false);

        var first = written[0];
        var x = new DatasetPartType(DataForm<X>.TypeTag, first.XFacts.Names, first.XFacts.SampleRate, first.XFacts.FramesPerSecond);
        var y = new DatasetPartType(DataForm<Y>.TypeTag, first.YFacts.Names, first.YFacts.SampleRate, first.YFacts.FramesPerSecond);
        var splits = written.Select(w => new DatasetSplitInfo(w.Split, w.Samples,
            new DatasetArrayInfo(SplitFiles.InputsFile(w.Split), w.X.DType.Name, [w.Samples, .. w.X.RowShape.Select(d => (long)d)]),
            new DatasetArrayInfo(SplitFiles.TargetsFile(w.Split), w.Y.DType.Name, [w.Samples, .. w.Y.RowShape.Select(d => (long)d)]))).ToList();
        var content = MetaJson.WriteContent(x, json => xForm.WriteFacts(json, first.XFacts), y, json => yForm.WriteFacts(json, first.YFacts), splits, processor);

        var files = await DatasetHashing.HashFilesAsync(folder, DatasetHashing.ListFiles(folder), cancellationToken).ConfigureAwait(false);
        var meta = new DatasetMetadata
        {
            FormatVersion = DatasetMetadata.CurrentFormatVersion,
            Name = plan.Name,
            Version = plan.Version,
            CreatedAt = DateTimeOffset.UtcNow,
            Tags = plan.Tags,
            X = x,
            Y = y,
            Splits = splits,
            Processor = processor,
            Files = files,
            Hash = new DatasetContentHash(DatasetHashing.Algorithm, DatasetHashing.Combine(files, content)),
        };
        await DurableFile.WriteNewAsync(Path.Combine(folder, MetaJson.FileName), MetaJson.Write(meta, content), cancellationToken).ConfigureAwait(false);
        return meta;
    }

    /// <summary>Every split of a dataset holds the same kind of rows and the same facts (class names, …) as the first.</summary>
    private static void CheckAgrees<X, Y>(SplitWriter.Written first, SplitWriter.Written next, DataForm<X> xForm, DataForm<Y> yForm)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        string name = SplitFiles.Name(next.Split), firstName = SplitFiles.Name(first.Split);
        if (!next.XFacts.Equals(first.XFacts))
            throw new ArgumentException($"the inputs of the {name} split have {next.XFacts}, but those of the {firstName} split have {first.XFacts}; every split of a dataset has the same");
        if (!next.YFacts.Equals(first.YFacts))
            throw new ArgumentException($"the targets of the {name} split have {next.YFacts}, but those of the {firstName} split have {first.YFacts}; every split of a dataset has the same");
        try
        {
            xForm.Widen(first.X, next.X);
            yForm.Widen(first.Y, next.Y);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the {name} split does not match the {firstName} split: {e.Message}", e);
        }
    }

    private static async Task<DatasetProcessorInfo> WriteProcessorAsync(IDatasetProcessor processor, string folder, CancellationToken cancellationToken)
    {
        string type = processor.TypeName;
        if (string.IsNullOrWhiteSpace(type)) throw new ArgumentException("the processor has no type name", nameof(processor));
        using var parameters = new MemoryStream();
        using (var json = new Utf8JsonWriter(parameters)) processor.WriteParameters(json);
        string text = Encoding.UTF8.GetString(parameters.ToArray());
        try
        {
            using var check = JsonDocument.Parse(text);
            if (check.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"processor {type} wrote parameters that are not one JSON object: {e.Message}", nameof(processor), e);
        }
        var state = new FileStream(Path.Combine(folder, ProcessorFile), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (state.ConfigureAwait(false))
        {
            await processor.WriteStateAsync(state, cancellationToken).ConfigureAwait(false);
            state.Flush(flushToDisk: true);
        }
        return new DatasetProcessorInfo(type, text, ProcessorFile);
    }
}
