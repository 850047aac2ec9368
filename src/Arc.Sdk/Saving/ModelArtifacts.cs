using Arc.Artifacts;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Saves models as OCI artifacts (<see cref="ArcArtifactTypes.Model"/>): weights, hyperparameters, X/Y types, the code
/// bundle that defines the model and an optional evaluation report, tagged <c>model-&lt;name&gt;-&lt;short digest&gt;</c>.
/// Connect to one with <see cref="SavedModel.ConnectAsync{X, Y}(ArtifactReference, Target, SavedModelOptions?, CancellationToken)"/>.
/// </summary>
public static class ModelArtifacts
{
    /// <summary>
    /// Saves <paramref name="model"/> (anywhere it runs: its weights are read through <c>SaveWeightsAsync</c>), created
    /// from <paramref name="hyperparameters"/>, to <paramref name="repository"/> (default: the local layout
    /// <see cref="ArtifactLocations.DefaultStore"/>), e.g.
    /// <c>await MlpClassifier.Registration.SaveAsync(client, client.Hyperparameters)</c>. Returns the reference
    /// (<c>…:model-&lt;name&gt;-&lt;short digest&gt;</c>) that <see cref="SavedModel.ConnectAsync{X, Y}(ArtifactReference, Target, SavedModelOptions?, CancellationToken)"/> takes.
    /// </summary>
    /// <param name="registration">The model's generated registration (<c>MyModel.Registration</c>).</param>
    /// <param name="model">The trained model: a deployed client, a worker model or the object itself.</param>
    /// <param name="hyperparameters">The hyperparameters it was created with.</param>
    /// <param name="repository">A repository reference without tag (<c>oci-layout:/dir</c> or <c>host:port/repo</c>).</param>
    /// <param name="evaluation">An evaluation report to keep with it (e.g. the trainer's).</param>
    /// <param name="registryOptions">How to reach a registry (plain HTTP for non-loopback hosts).</param>
    /// <param name="signingKey">
    /// When given, the artifact is signed with it: the signature is pushed next to it as a referrer of its manifest, for
    /// <see cref="SavedModelOptions.TrustPolicy"/> to check on connect.
    /// </param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <remarks>When <paramref name="model"/> was trained with a recorder (<see cref="TrainOptions.Tracking"/>), the saved artifact becomes a model version in that record, linked to the run's experiment and job.</remarks>
    /// <exception cref="InvalidOperationException">The model's assembly has no <c>.deps.json</c> (not a built app's output).</exception>
    public static Task<ArtifactReference> SaveAsync<TModel, THyperparameters, X, Y>(
        this ClassRegistration<TModel, THyperparameters, IDeployedModel<X, Y>> registration, ISupervisedModel<X, Y> model, THyperparameters hyperparameters,
        ArtifactReference? repository = null, EvalReport? evaluation = null, OciRegistryOptions? registryOptions = null,
        ArtifactSigningKey? signingKey = null, CancellationToken cancellationToken = default)
        where TModel : class, ISupervisedModel<X, Y>
        where THyperparameters : class
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        byte[] wire = registration.WriteParameters(hyperparameters);
        var config = SavedArtifactWriter.Config(SavedArtifactConfig.ModelKind, registration.Name, typeof(TModel),
            SavedTypes.Of<X>(), SavedTypes.Of<Y>(), wire) with { Contract = SavedTypes.ContractJson(registration.Contract) };
        var parts = new SavedArtifactParts(ArcArtifactTypes.Model, "model", config, ArcArtifactTypes.Titles.Hyperparameters, wire,
            (stream, token) => model.SaveWeightsAsync(stream, token), evaluation is null ? null : EvaluationJson.Write(evaluation));
        return SaveAndRecordAsync(parts, typeof(TModel), model, evaluation, repository, registryOptions, signingKey, cancellationToken);
    }

    /// <summary>Saves, then adds the artifact to the record of the model's latest training run, if it was recorded.</summary>
    private static async Task<ArtifactReference> SaveAndRecordAsync(SavedArtifactParts parts, Type modelType, object model, EvalReport? evaluation,
        ArtifactReference? repository, OciRegistryOptions? registryOptions, ArtifactSigningKey? signingKey, CancellationToken cancellationToken)
    {
        var reference = await SavedArtifactWriter.SaveAsync(parts, modelType, repository, registryOptions, signingKey, cancellationToken).ConfigureAwait(false);
        if (TrainingRecorders.LatestOf(model) is { } recording)
            await recording.LogSavedModelAsync(reference.ToString(), evaluation, cancellationToken).ConfigureAwait(false);
        return reference;
    }
}

/// <summary>The <see cref="SavedDataType"/> of a data type.</summary>
internal static class SavedTypes
{
    public static SavedDataType Of<T>() where T : IArcData<T> => new(T.WireTag, typeof(T).FullName ?? typeof(T).Name);

    /// <summary>The config's <c>contract</c>: the JSON form, or null when the class states none.</summary>
    public static System.Text.Json.JsonElement? ContractJson(DataContract contract)
    {
        if (contract.IsEmpty) return null;
        using var document = System.Text.Json.JsonDocument.Parse(contract.ToJson());
        return document.RootElement.Clone();
    }

    /// <summary>The contract a saved config records; <see cref="DataContract.None"/> when it records none.</summary>
    /// <exception cref="ArtifactFormatException">The recorded contract is not one.</exception>
    public static DataContract ContractOf(SavedArtifactConfig config, string source)
    {
        if (config.Contract is not { } json) return DataContract.None;
        try { return DataContract.FromJson(json); }
        catch (FormatException e) { throw new ArtifactFormatException(source, $"the config's contract is not valid: {e.Message}", e); }
    }

    /// <summary>A readable "type (wire tag)".</summary>
    public static string Describe(SavedDataType type) => $"{type.Type} (wire tag '{type.WireTag}')";
}
