namespace Arc.Remote.Artifacts;

/// <summary>How <see cref="SavedModel"/> and <see cref="SavedJob"/> connect to saved artifacts.</summary>
public sealed record SavedModelOptions
{
    /// <summary>How to reach a registry. Null: the defaults (HTTPS, plain HTTP on loopback).</summary>
    public OciRegistryOptions? RegistryOptions { get; init; }

    /// <summary>Where code bundles are extracted (under <c>bundles/</c>). Null: <see cref="ArtifactLocations.CacheDirectory"/>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>The NuGet package folder bundle requirements come from. Null: <see cref="ArtifactLocations.NuGetPackagesDirectory"/>.</summary>
    public string? NuGetPackagesDirectory { get; init; }
}
