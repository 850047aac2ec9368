using Arc.Artifacts;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Connects to models saved by <see cref="ModelArtifacts.SaveAsync{TModel, THyperparameters, X, Y}"/>, by reference alone:
/// <c>await using var model = await SavedModel.ConnectAsync&lt;ImageData, ClassData&gt;(reference, Target.LocalProcess)</c>.
/// </summary>
public static class SavedModel
{
    /// <summary>As <see cref="ConnectAsync{X, Y}(ArtifactReference, Target, SavedModelOptions?, CancellationToken)"/>, parsing <paramref name="reference"/>.</summary>
    public static Task<IDeployedModel<X, Y>> ConnectAsync<X, Y>(string reference, Target target, SavedModelOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
        => ConnectAsync<X, Y>(ArtifactReference.Parse(reference), target, options, cancellationToken);

    /// <summary>
    /// Pulls the saved model <paramref name="reference"/> (every blob verified by digest), checks that it takes
    /// <typeparamref name="X"/> and returns <typeparamref name="Y"/>, creates it on <paramref name="target"/> from its
    /// stored hyperparameters and loads its weights. On a local-process target the worker loads the model from the
    /// artifact's own code bundle (extracted once into the cache; required packages such as libtorch come from the local
    /// NuGet folder), so the model's assembly need not be in this program; on other targets the model must be
    /// registered in this process. Dispose the result to release it.
    /// </summary>
    /// <exception cref="ArtifactTrustException">
    /// <see cref="SavedModelOptions.TrustPolicy"/> refuses the artifact (unsigned, untrusted or tampered signature); checked
    /// before anything of it is read, extracted or run.
    /// </exception>
    /// <exception cref="SavedArtifactTypeMismatchException">The saved model takes or returns other types.</exception>
    /// <exception cref="ArtifactIntegrityException">A blob does not match its digest.</exception>
    /// <exception cref="ArtifactNotFoundException">No such artifact.</exception>
    /// <exception cref="ArtifactFormatException">It is not a saved Arc model, or its bundle is hostile or incomplete.</exception>
    /// <exception cref="MissingPackageException">The bundle needs a NuGet package the local folder lacks.</exception>
    public static async Task<IDeployedModel<X, Y>> ConnectAsync<X, Y>(ArtifactReference reference, Target target, SavedModelOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(target);
        using var saved = await OpenAsync(reference, options, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync<X, Y>(saved, target, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the saved model <paramref name="reference"/> (trust checked first) for <see cref="ConnectAsync{X, Y}(SavedArtifactReader, Target, SavedModelOptions?, CancellationToken)"/>.</summary>
    internal static Task<SavedArtifactReader> OpenAsync(ArtifactReference reference, SavedModelOptions? options, CancellationToken cancellationToken)
        => SavedArtifactReader.OpenAsync(reference, ArcArtifactTypes.Model, SavedArtifactConfig.ModelKind, options, cancellationToken);

    /// <summary>Starts the opened saved model on <paramref name="target"/> and loads its weights; the reader stays the caller's.</summary>
    internal static async Task<IDeployedModel<X, Y>> ConnectAsync<X, Y>(SavedArtifactReader saved, Target target, SavedModelOptions? options,
        CancellationToken cancellationToken)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        saved.CheckTypes<X, Y>();
        if (options?.JobContract is { } jobContract)
            DataContractConflictException.ThrowIfConflict(saved.Config.Name, SavedTypes.ContractOf(saved.Config, saved.Reference),
                "the job it is connected for (SavedModelOptions.JobContract)", jobContract);
        byte[] hyperparameters = await saved.ReadSmallLayerAsync(ArcArtifactTypes.Titles.Hyperparameters, cancellationToken).ConfigureAwait(false);
        var weights = await saved.OpenLayerAsync(ArcArtifactTypes.Titles.Weights, cancellationToken).ConfigureAwait(false);
        await using var weightsDisposal = weights.ConfigureAwait(false);

        IDeployedModel<X, Y> model;
        if (Target.LocalProcessOptionsOf(target) is { } processOptions)
            model = await StartFromBundleAsync<X, Y>(saved, processOptions, options, hyperparameters, cancellationToken).ConfigureAwait(false);
        else
        {
            var registration = ArcRegistry.FindModel(saved.Config.Name)
                ?? throw new InvalidOperationException(
                    $"{saved.Reference} is model '{saved.Config.Name}' ({saved.Config.Type}), which is not registered in this process, and {target} " +
                    "runs models from this process's registrations: connect with Target.LocalProcess to load it from the artifact's code bundle");
            model = await registration.DeployFromWireAsync<IDeployedModel<X, Y>>(target, hyperparameters, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            await model.LoadWeightsAsync(weights, cancellationToken).ConfigureAwait(false);
            return model;
        }
        catch
        {
            await model.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Reads a saved model's config (what it is, its types, hyperparameters and requirements) without starting it; the
    /// trust policy of <paramref name="options"/> applies here too.
    /// </summary>
    /// <exception cref="ArtifactTrustException"><see cref="SavedModelOptions.TrustPolicy"/> refuses the artifact.</exception>
    public static async Task<SavedArtifactConfig> InspectAsync(ArtifactReference reference, SavedModelOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var saved = await SavedArtifactReader.OpenAsync(reference, ArcArtifactTypes.Model, SavedArtifactConfig.ModelKind,
            options, cancellationToken).ConfigureAwait(false);
        return saved.Config;
    }

    private static async Task<IDeployedModel<X, Y>> StartFromBundleAsync<X, Y>(SavedArtifactReader saved, LocalProcessOptions processOptions,
        SavedModelOptions? options, byte[] hyperparameters, CancellationToken cancellationToken)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        var (launch, workerOptions) = await saved.PrepareWorkerAsync(processOptions, options,
            WorkerLaunch.VariablesFor(ArcKind.Model, saved.Config.Name, hyperparameters), cancellationToken).ConfigureAwait(false);
        return await LocalProcessModel<X, Y>.StartAsync(launch, workerOptions, cancellationToken).ConfigureAwait(false);
    }
}
