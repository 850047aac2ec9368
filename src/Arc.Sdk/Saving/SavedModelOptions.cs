using Arc.Artifacts;
namespace Arc.Sdk;

/// <summary>How <see cref="SavedModel"/> and <see cref="SavedJob"/> connect to saved artifacts.</summary>
public sealed record SavedModelOptions
{
    /// <summary>How to reach a registry. Null: the defaults (HTTPS, plain HTTP on loopback).</summary>
    public OciRegistryOptions? RegistryOptions { get; init; }

    /// <summary>Where code bundles are extracted (under <c>bundles/</c>). Null: <see cref="ArtifactLocations.CacheDirectory"/>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Which artifacts to accept by who signed them, checked right after the manifest is pulled and before anything else
    /// of the artifact is read, extracted or run (a saved model or job is code). Null: <see cref="ArtifactTrustPolicy.None"/>,
    /// which accepts unsigned artifacts; use <see cref="ArtifactTrustPolicy.RequireSigned(ArtifactPublicKey[])"/> for
    /// artifacts from any store others can write to. Pinning the reference by digest (<c>…@sha256:…</c>) is the other defence.
    /// </summary>
    public ArtifactTrustPolicy? TrustPolicy { get; init; }

    /// <summary>
    /// The contract of the job the model is connected for (e.g. <c>job.Contract</c>): a saved model whose recorded
    /// contract conflicts with it is refused with <see cref="Arc.Types.DataContractConflictException"/> before anything of it
    /// is started. Null: no check here (<c>Trainer</c> still checks before training).
    /// </summary>
    public Arc.Types.DataContract? JobContract { get; init; }

    /// <summary>The NuGet package folder bundle requirements come from. Null: <see cref="ArtifactLocations.NuGetPackagesDirectory"/>.</summary>
    public string? NuGetPackagesDirectory { get; init; }
}
