namespace Arc.Artifacts;

/// <summary>A saved model or job takes or returns other types than the ones it was asked for.</summary>
public sealed class SavedArtifactTypeMismatchException(string reference, string message) : InvalidOperationException(message)
{
    /// <summary>The artifact's reference.</summary>
    public string Reference { get; } = reference;
}

/// <summary>A code bundle needs a NuGet package (or a file of one) that the local package folder lacks.</summary>
public sealed class MissingPackageException(string packageId, string version, string message) : InvalidOperationException(message)
{
    /// <summary>The package id.</summary>
    public string PackageId { get; } = packageId;

    /// <summary>The package version.</summary>
    public string Version { get; } = version;
}
