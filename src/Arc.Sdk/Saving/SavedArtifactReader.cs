using Arc.Artifacts;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// A saved model or job artifact opened for connecting: its store, verified manifest and checked config. Opening it
/// refuses an artifact of another type or kind, and one whose X/Y wire tags differ from the requested types.
/// </summary>
internal sealed class SavedArtifactReader : IDisposable
{
    private const int ConfigLimit = 1 << 20;
    private const int ParametersLimit = 16 << 20;

    private SavedArtifactReader(IArtifactStore store, PulledManifest pulled, SavedArtifactConfig config)
    {
        Store = store;
        Pulled = pulled;
        Config = config;
    }

    public IArtifactStore Store { get; }

    public PulledManifest Pulled { get; }

    public SavedArtifactConfig Config { get; }

    public string Reference => Pulled.Reference.ToString();

    public static async Task<SavedArtifactReader> OpenAsync(ArtifactReference reference, string artifactType, string kind,
        SavedModelOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.TagOrDigest is not { } selector)
            throw new ArgumentException($"'{reference}' names a repository, not a saved {kind}: add :<tag> or @sha256:<digest>", nameof(reference));
        var store = ArtifactStores.Open(reference, options?.RegistryOptions);
        try
        {
            var pulled = await store.PullManifestAsync(selector, cancellationToken).ConfigureAwait(false);
            string source = $"{reference} ({pulled.Digest})";
            if (pulled.Manifest.ArtifactType != artifactType)
                throw new ArtifactFormatException(source, $"it is a '{pulled.Manifest.ArtifactType ?? "(no artifactType)"}' artifact, not a saved Arc {kind} ('{artifactType}')");
            // Trust first: nothing else of the artifact (config, parameters, weights, bundle) is read before its signer is accepted,
            // and everything read later is verified against digests this manifest (the one signed) names.
            await ArtifactSignatures.VerifyAsync(store, pulled, options?.TrustPolicy ?? ArtifactTrustPolicy.None, reference.ToString(), cancellationToken).ConfigureAwait(false);
            if (pulled.Manifest.Config.MediaType != ArcArtifactTypes.ConfigMediaType)
                throw new ArtifactFormatException(source, $"its config is '{pulled.Manifest.Config.MediaType}', not '{ArcArtifactTypes.ConfigMediaType}'");
            var config = SavedArtifactConfig.Parse(await store.ReadBlobAsync(pulled.Manifest.Config, ConfigLimit, cancellationToken).ConfigureAwait(false), source);
            if (config.Kind != kind)
                throw new ArtifactFormatException(source, $"its config says it is a {config.Kind}, not a {kind}");
            return new SavedArtifactReader(store, pulled, config);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Refuses the artifact unless it was saved from <typeparamref name="X"/> to <typeparamref name="Y"/> (by wire tag).</summary>
    public void CheckTypes<X, Y>()
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        if (Config.Input.WireTag == X.WireTag && Config.Output.WireTag == Y.WireTag) return;
        throw new SavedArtifactTypeMismatchException(Reference,
            $"{Reference} is {Config.Kind} '{Config.Name}' from {SavedTypes.Describe(Config.Input)} to {SavedTypes.Describe(Config.Output)}, " +
            $"but it was requested from {SavedTypes.Describe(SavedTypes.Of<X>())} to {SavedTypes.Describe(SavedTypes.Of<Y>())}");
    }

    /// <summary>The layer titled <paramref name="title"/>, read whole (at most 16 MiB).</summary>
    public Task<byte[]> ReadSmallLayerAsync(string title, CancellationToken cancellationToken)
        => Store.ReadBlobAsync(Layer(title), ParametersLimit, cancellationToken);

    /// <summary>The layer titled <paramref name="title"/> as a verified stream.</summary>
    public Task<Stream> OpenLayerAsync(string title, CancellationToken cancellationToken) => Store.OpenBlobAsync(Layer(title), cancellationToken);

    private OciDescriptor Layer(string title) => Pulled.Manifest.FindLayer(title)
        ?? throw new ArtifactFormatException(Reference, $"the saved {Config.Kind} has no layer '{title}'");

    /// <summary>
    /// The worker launch for this artifact on a local-process target: the bundle extracted (or found in the cache), its
    /// assembly, and the worker program of the bundle when it carries one (so the worker matches the saved build).
    /// </summary>
    public async Task<(WorkerLaunch Launch, LocalProcessOptions Options)> PrepareWorkerAsync(LocalProcessOptions options, SavedModelOptions? saved,
        IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        string directory = await BundleMaterializer.MaterializeAsync(Store, Pulled, Config,
            saved?.CacheDirectory ?? ArtifactLocations.CacheDirectory, saved?.NuGetPackagesDirectory ?? ArtifactLocations.NuGetPackagesDirectory,
            cancellationToken).ConfigureAwait(false);
        string bundledWorker = Path.Combine(directory, "Arc.Worker.dll");
        var workerOptions = options.WorkerPath is null && File.Exists(bundledWorker) && File.Exists(Path.Combine(directory, "Arc.Worker.runtimeconfig.json"))
            ? options with { WorkerPath = bundledWorker }
            : options;
        return (new WorkerLaunch(Config.Name, Path.Combine(directory, Config.Assembly), variables), workerOptions);
    }

    public void Dispose() => Store.Dispose();
}
