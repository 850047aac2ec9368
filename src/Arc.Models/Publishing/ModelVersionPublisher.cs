using System.Globalization;
using System.Security.Cryptography;
using Arc.Artifacts;
using Arc.Datasets;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Models;

/// <summary>
/// Publishes a model version to a local folder (remote destinations: <see cref="ModelVersion"/> stages it in one) the way a dataset version is published: everything is written into a
/// hidden <c>&lt;name&gt;/.publishing-&lt;owner&gt;-…</c> folder, flushed, and renamed to <c>&lt;name&gt;/&lt;version&gt;</c>,
/// so nothing half-written is ever visible under the version's name.
/// </summary>
internal static class ModelVersionPublisher
{
    public const string WeightsFile = "model.weights";
    private const string TemporaryPrefix = ".publishing-";
    private static readonly TimeSpan DeadWriterIdle = TimeSpan.FromMinutes(1);

    /// <summary>The version's name: the one given, else the UTC time of publishing.</summary>
    public static string VersionOf(ModelPublishOptions options)
        => options.Version ?? DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fffffff", CultureInfo.InvariantCulture);

    /// <summary>Publishes into the local folder <paramref name="destination"/> (a remote destination's staging folder too).</summary>
    public static async Task<(string Folder, ModelVersionMetadata Meta)> PublishAsync<X, Y>(string destination, ISupervisedModel<X, Y> model,
        DatasetVersion<X, Y> dataset, TrainingHistory? history, EvalReport? evaluation, IReadOnlyList<string> tags, ModelPublishOptions options,
        CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        string version = VersionOf(options);
        VersionLocation.CheckName(model.Name, "model name");
        VersionLocation.CheckName(version, "version");
        if (dataset.Metadata.Split(DataSplit.Train) is null)
            throw new ArgumentException($"dataset {dataset.Name} has no train split, so there are no training data to summarise for the Finder", nameof(dataset));

        string parent = Path.Combine(destination, model.Name);
        string final = Path.Combine(parent, version);
        if (Path.Exists(final)) throw new ModelVersionExistsException(final);
        DurableFile.CreateDirectory(parent);
        OwnedNames.SweepDead(parent, TemporaryPrefix, DeadWriterIdle);
        string temporary = Path.Combine(parent, OwnedNames.New(TemporaryPrefix));
        Directory.CreateDirectory(temporary);
        try
        {
            var weights = await WriteWeightsAsync(model, Path.Combine(temporary, WeightsFile), cancellationToken).ConfigureAwait(false);
            var statistics = await StatisticsCollector.OfSplitAsync(dataset, DataSplit.Train, cancellationToken).ConfigureAwait(false);
            var meta = new ModelVersionMetadata
            {
                FormatVersion = ModelVersionMetadata.CurrentFormatVersion,
                Name = model.Name,
                Version = version,
                CreatedAt = DateTimeOffset.UtcNow,
                Tags = tags,
                ModelType = model.GetType().FullName ?? model.GetType().Name,
                Hyperparameters = options.Hyperparameters ?? ModelOrigins.HyperparametersOf(model),
                X = TypeOf(dataset.Metadata, dataset.Metadata.X, isInputs: true),
                Y = TypeOf(dataset.Metadata, dataset.Metadata.Y, isInputs: false),
                Dataset = LinkOf(dataset.Metadata),
                History = history?.Epochs ?? [],
                Evaluation = evaluation is null ? null : new ModelEvaluation(evaluation.Job, evaluation.Split, evaluation.Samples, evaluation.Metrics),
                TrainingData = new TrainingDataStatistics(DataSplit.Train, statistics),
                Weights = weights,
                Hash = new ModelHash("sha256", weights.Sha256),
            };
            await DurableFile.WriteNewAsync(Path.Combine(temporary, ModelMetaJson.FileName), ModelMetaJson.Write(meta), cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                DurableFile.PublishDirectory(temporary, final);
            }
            catch (IOException) when (Path.Exists(final))
            {
                throw new ModelVersionExistsException(final); // another publish of the same version won the race
            }
            return (final, meta);
        }
        catch
        {
            try { Directory.Delete(temporary, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the sweep of a later publish removes it */ }
            throw;
        }
    }

    /// <summary>The dataset's link: name, version, content hash, and its processor's type and state hash.</summary>
    public static ModelDatasetLink LinkOf(DatasetMetadata dataset)
    {
        string? stateSha = dataset.Processor is { } processor
            ? dataset.Files.FirstOrDefault(f => f.Path == processor.File)?.Sha256
            : null;
        return new ModelDatasetLink(dataset.Name, dataset.Version, dataset.Hash.Value, dataset.Processor?.Type, stateSha);
    }

    private static ModelDataType TypeOf(DatasetMetadata dataset, DatasetPartType part, bool isInputs)
    {
        // Images, audio and video have one shape per sample; the Finder checks a job's against it.
        IReadOnlyList<int>? shape = null;
        if (part.Type is "image" or "audio" or "video")
        {
            var train = dataset.Split(DataSplit.Train)!;
            var full = isInputs ? train.X.Shape : train.Y.Shape;
            shape = full.Skip(1).Select(d => checked((int)d)).ToArray();
        }
        return new ModelDataType(part.Type, shape, part.Names);
    }

    private static async Task<ModelFile> WriteWeightsAsync<X, Y>(ISupervisedModel<X, Y> model, string path, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await model.SaveWeightsAsync(file, cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
        var (bytes, sha256) = await HashFileAsync(path, cancellationToken).ConfigureAwait(false);
        return new ModelFile(WeightsFile, bytes, sha256);
    }

    /// <summary>The size and lower-case hex SHA-256 of a file.</summary>
    public static async Task<(long Bytes, string Sha256)> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            byte[] hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
            return (file.Length, Convert.ToHexStringLower(hash));
        }
    }
}
