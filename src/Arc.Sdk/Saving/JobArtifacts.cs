using Arc.Artifacts;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Saves jobs as OCI artifacts (<see cref="ArcArtifactTypes.Job"/>): parameters, X/Y types and the code bundle that
/// defines the job, tagged <c>job-&lt;name&gt;-&lt;short digest&gt;</c>. Connect with <see cref="SavedJob"/>.
/// </summary>
public static class JobArtifacts
{
    /// <summary>
    /// Saves the job that <paramref name="registration"/> creates from <paramref name="parameters"/> to
    /// <paramref name="repository"/> (default: <see cref="ArtifactLocations.DefaultStore"/>) and returns its reference; signs it
    /// with <paramref name="signingKey"/> when one is given (see <see cref="ModelArtifacts"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The job's assembly has no <c>.deps.json</c> (not a built app's output).</exception>
    public static Task<ArtifactReference> SaveAsync<TJob, TParameters, X, Y>(
        this ClassRegistration<TJob, TParameters, IDeployedJob<X, Y>> registration, TParameters parameters,
        ArtifactReference? repository = null, OciRegistryOptions? registryOptions = null, ArtifactSigningKey? signingKey = null,
        CancellationToken cancellationToken = default)
        where TJob : class, ISupervisedJob<X, Y>
        where TParameters : class
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(parameters);
        byte[] wire = registration.WriteParameters(parameters);
        var config = SavedArtifactWriter.Config(SavedArtifactConfig.JobKind, registration.Name, typeof(TJob), SavedTypes.Of<X>(), SavedTypes.Of<Y>(), wire)
            with { Contract = SavedTypes.ContractJson(registration.Contract) };
        var parts = new SavedArtifactParts(ArcArtifactTypes.Job, "job", config, ArcArtifactTypes.Titles.Parameters, wire, WriteWeights: null, Evaluation: null);
        return SavedArtifactWriter.SaveAsync(parts, typeof(TJob), repository, registryOptions, signingKey, cancellationToken);
    }
}

/// <summary>Connects to jobs saved by <see cref="JobArtifacts.SaveAsync{TJob, TParameters, X, Y}"/>, by reference alone.</summary>
public static class SavedJob
{
    /// <summary>
    /// Pulls the saved job <paramref name="reference"/> (verified), checks its X/Y types, and creates it on
    /// <paramref name="target"/> from its stored parameters: from the artifact's code bundle on a local-process target,
    /// from this process's registrations elsewhere. Dispose the result to release it.
    /// </summary>
    /// <exception cref="ArtifactTrustException">
    /// <see cref="SavedModelOptions.TrustPolicy"/> refuses the artifact; checked before anything of it is read, extracted or run.
    /// </exception>
    /// <exception cref="SavedArtifactTypeMismatchException">The saved job yields other types.</exception>
    public static async Task<IDeployedJob<X, Y>> ConnectAsync<X, Y>(ArtifactReference reference, Target target, SavedModelOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(target);
        using var saved = await SavedArtifactReader.OpenAsync(reference, ArcArtifactTypes.Job, SavedArtifactConfig.JobKind,
            options, cancellationToken).ConfigureAwait(false);
        saved.CheckTypes<X, Y>();
        byte[] parameters = await saved.ReadSmallLayerAsync(ArcArtifactTypes.Titles.Parameters, cancellationToken).ConfigureAwait(false);
        if (Target.LocalProcessOptionsOf(target) is { } processOptions)
        {
            var (launch, workerOptions) = await saved.PrepareWorkerAsync(processOptions, options,
                WorkerLaunch.VariablesFor(ArcKind.Job, saved.Config.Name, parameters), cancellationToken).ConfigureAwait(false);
            return await LocalProcessJob<X, Y>.StartAsync(launch, workerOptions, cancellationToken).ConfigureAwait(false);
        }
        var registration = ArcRegistry.FindJob(saved.Config.Name)
            ?? throw new InvalidOperationException(
                $"{saved.Reference} is job '{saved.Config.Name}' ({saved.Config.Type}), which is not registered in this process, and {target} " +
                "runs jobs from this process's registrations: connect with Target.LocalProcess to load it from the artifact's code bundle");
        if (registration.InputType != typeof(X) || registration.OutputType != typeof(Y))
            throw new SavedArtifactTypeMismatchException(saved.Reference, $"{registration} is registered here with other types than {typeof(X).Name} -> {typeof(Y).Name}");
        return await registration.DeployFromWireAsync<IDeployedJob<X, Y>>(target, parameters, cancellationToken).ConfigureAwait(false);
    }
}
