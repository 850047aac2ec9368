using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>What one save puts in an artifact, besides the code bundle that <see cref="SavedArtifactWriter"/> adds.</summary>
internal sealed record SavedArtifactParts(
    string ArtifactType, string TagPrefix, SavedArtifactConfig Config, string ParametersTitle, byte[] ParametersWire,
    Func<Stream, CancellationToken, ValueTask>? WriteWeights, byte[]? Evaluation);

/// <summary>
/// Builds and pushes a model or job artifact: the config, the (hyper)parameters' wire form, the weights (written to a
/// temporary file), the code bundle of the assembly that registers it (two deterministic tars) and the optional
/// evaluation report; tagged <c>&lt;kind&gt;-&lt;name&gt;-&lt;short digest&gt;</c> with the manifest's own digest.
/// </summary>
internal static class SavedArtifactWriter
{
    public static async Task<ArtifactReference> SaveAsync(SavedArtifactParts parts, Type registeredType, ArtifactReference? repository,
        OciRegistryOptions? registryOptions, ArtifactSigningKey? signingKey, CancellationToken cancellationToken)
    {
        repository ??= ArtifactLocations.DefaultStore;
        if (repository.NamesArtifact)
            throw new ArgumentException($"'{repository}' names an artifact; pass a repository (without :tag or @digest): Arc chooses the tag", nameof(repository));
        string assemblyPath = registeredType.Assembly.Location;
        if (string.IsNullOrEmpty(assemblyPath))
            throw new InvalidOperationException($"{registeredType.FullName} comes from an assembly without a file, which a code bundle cannot carry");
        var bundle = CodeBundle.FromAssembly(assemblyPath);
        var config = parts.Config with { Assembly = bundle.EntryAssembly, Requirements = bundle.Requirements };

        // Named after this process (0700), so that a save killed midway leaves a folder the next Arc process removes.
        var scratch = new DirectoryInfo(ArcTempPaths.CreateDirectory(ArcTempPaths.Save));
        try
        {
            var content = new ArtifactContent(parts.ArtifactType).WithConfig(ArcArtifactTypes.ConfigMediaType, config.ToJson());
            if (parts.WriteWeights is { } writeWeights)
            {
                string weights = Path.Combine(scratch.FullName, ArcArtifactTypes.Titles.Weights);
                var file = new FileStream(weights, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                    await writeWeights(file, cancellationToken).ConfigureAwait(false);
                content.AddFileLayer(ArcArtifactTypes.Titles.Weights, ArcArtifactTypes.WeightsMediaType, weights);
            }
            content.AddLayer(parts.ParametersTitle, ArcArtifactTypes.ParametersMediaType, parts.ParametersWire);
            string app = Path.Combine(scratch.FullName, ArcArtifactTypes.Titles.AppBundle);
            await BundleTar.WriteFileAsync(app, bundle.AppFiles, cancellationToken).ConfigureAwait(false);
            content.AddFileLayer(ArcArtifactTypes.Titles.AppBundle, ArcArtifactTypes.BundleMediaType, app);
            if (bundle.PackageFiles.Count > 0)
            {
                string packages = Path.Combine(scratch.FullName, ArcArtifactTypes.Titles.PackagesBundle);
                await BundleTar.WriteFileAsync(packages, bundle.PackageFiles, cancellationToken).ConfigureAwait(false);
                content.AddFileLayer(ArcArtifactTypes.Titles.PackagesBundle, ArcArtifactTypes.BundleMediaType, packages);
            }
            if (parts.Evaluation is { } evaluation)
                content.AddLayer(ArcArtifactTypes.Titles.Evaluation, ArcArtifactTypes.EvaluationMediaType, evaluation);

            var prepared = await content.PrepareAsync(cancellationToken).ConfigureAwait(false);
            string tag = $"{parts.TagPrefix}-{Truncate(config.Name, 100)}-{prepared.Digest.Short()}";
            using var store = ArtifactStores.Open(repository, registryOptions);
            var saved = await store.PushAsync(prepared, tag, cancellationToken).ConfigureAwait(false);
            if (signingKey is not null)
            {
                // Signed after the push: a signature is a referrer, and a store accepts one only for a manifest it holds.
                var pushed = new PulledManifest(store.Repository.WithDigest(prepared.Digest), prepared.Digest, prepared.ManifestBytes, prepared.Manifest);
                await ArtifactSignatures.SignAsync(store, pushed, signingKey, cancellationToken).ConfigureAwait(false);
            }
            return saved;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Saves a trained copy of the saved artifact <paramref name="parent"/> (opened from <paramref name="parentStore"/>,
    /// config <paramref name="parentConfig"/>) to <paramref name="repository"/>: the same config with
    /// <see cref="SavedArtifactConfig.Parent"/> naming the parent by digest, the same (hyper)parameters and code bundle
    /// layers byte for byte (a store that holds them already is sent none), new weights from
    /// <paramref name="writeWeights"/> and the optional <paramref name="evaluation"/>. No assembly of this process is
    /// needed: the code is the parent's.
    /// </summary>
    public static async Task<ArtifactReference> SaveTrainedAsync(IArtifactStore parentStore, PulledManifest parent, SavedArtifactConfig parentConfig,
        Func<Stream, CancellationToken, ValueTask> writeWeights, byte[]? evaluation, ArtifactReference repository,
        OciRegistryOptions? registryOptions, ArtifactSigningKey? signingKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parentStore);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(parentConfig);
        ArgumentNullException.ThrowIfNull(writeWeights);
        ArgumentNullException.ThrowIfNull(repository);
        if (repository.NamesArtifact)
            throw new ArgumentException($"'{repository}' names an artifact; pass a repository (without :tag or @digest): Arc chooses the tag", nameof(repository));
        var config = parentConfig with { Parent = parent.Reference.RepositoryOnly.WithDigest(parent.Digest).ToString() };

        var scratch = new DirectoryInfo(ArcTempPaths.CreateDirectory(ArcTempPaths.Save));
        try
        {
            var content = new ArtifactContent(parent.Manifest.ArtifactType ?? ArcArtifactTypes.Model).WithConfig(ArcArtifactTypes.ConfigMediaType, config.ToJson());
            string weights = Path.Combine(scratch.FullName, ArcArtifactTypes.Titles.Weights);
            var file = new FileStream(weights, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
                await writeWeights(file, cancellationToken).ConfigureAwait(false);
            content.AddFileLayer(ArcArtifactTypes.Titles.Weights, ArcArtifactTypes.WeightsMediaType, weights);
            int copied = 0;
            foreach (var layer in parent.Manifest.Layers)
            {
                if (layer.Title is ArcArtifactTypes.Titles.Weights or ArcArtifactTypes.Titles.Evaluation) continue;
                if (layer.Title is not { } title)
                    throw new ArtifactFormatException(parent.Reference.ToString(), $"its layer {layer.Digest} has no title, so it cannot be carried into the trained copy");
                // Copied through a file: the parent's stream is verified against its digest as it is read.
                string path = Path.Combine(scratch.FullName, $"layer-{copied++}");
                var source = await parentStore.OpenBlobAsync(layer, cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                    await using (target.ConfigureAwait(false))
                        await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                }
                content.AddFileLayer(title, layer.MediaType, path);
            }
            if (evaluation is not null)
                content.AddLayer(ArcArtifactTypes.Titles.Evaluation, ArcArtifactTypes.EvaluationMediaType, evaluation);

            var prepared = await content.PrepareAsync(cancellationToken).ConfigureAwait(false);
            string tag = $"{config.Kind}-{Truncate(config.Name, 100)}-{prepared.Digest.Short()}";
            using var store = ArtifactStores.Open(repository, registryOptions);
            var saved = await store.PushAsync(prepared, tag, cancellationToken).ConfigureAwait(false);
            if (signingKey is not null)
            {
                var pushed = new PulledManifest(store.Repository.WithDigest(prepared.Digest), prepared.Digest, prepared.ManifestBytes, prepared.Manifest);
                await ArtifactSignatures.SignAsync(store, pushed, signingKey, cancellationToken).ConfigureAwait(false);
            }
            return saved;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>The config fields every save shares: kind, name, types, parameters as JSON, versions.</summary>
    public static SavedArtifactConfig Config(string kind, string name, Type type, SavedDataType input, SavedDataType output, byte[] parametersWire)
        => new()
        {
            Kind = kind,
            Name = name,
            Type = type.FullName ?? type.Name,
            Assembly = "",
            Input = input,
            Output = output,
            Parameters = ParametersAsJson(parametersWire),
            ArcVersion = typeof(SavedArtifactWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                         ?? typeof(SavedArtifactWriter).Assembly.GetName().Version?.ToString() ?? "unknown",
            CreatedFrom = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["assembly"] = type.Assembly.GetName().Name ?? "",
                ["assemblyVersion"] = type.Assembly.GetName().Version?.ToString() ?? "",
                ["framework"] = RuntimeInformation.FrameworkDescription,
                ["runtime"] = RuntimeInformation.RuntimeIdentifier,
            },
        };

    // The MessagePack map as JSON for readers of the config; the wire layer stays the truth.
    private static JsonElement? ParametersAsJson(byte[] wire)
    {
        try
        {
            using var document = JsonDocument.Parse(MessagePack.MessagePackSerializer.ConvertToJson(wire));
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is MessagePack.MessagePackSerializationException or JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
