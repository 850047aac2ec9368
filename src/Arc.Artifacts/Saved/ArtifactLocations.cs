namespace Arc.Artifacts;

/// <summary>
/// Where Arc keeps artifacts and caches on this machine by default. <c>ARC_ARTIFACTS</c>: the directory of the
/// default OCI image layout that saves go to (default <c>~/.arc/artifacts</c>). <c>ARC_CACHE</c>: where code bundles
/// are extracted (under <c>bundles/</c>, default <c>~/.arc/cache</c>). <c>NUGET_PACKAGES</c>: the NuGet package
/// folder that bundle requirements are resolved from (default <c>~/.nuget/packages</c>, as NuGet itself does).
/// </summary>
public static class ArtifactLocations
{
    /// <summary>The directory of the default artifact store.</summary>
    public static string DefaultStoreDirectory
        => Environment.GetEnvironmentVariable("ARC_ARTIFACTS") is { Length: > 0 } dir ? Path.GetFullPath(dir) : Path.Combine(Home, ".arc", "artifacts");

    /// <summary>The default store as a repository reference: <c>oci-layout:&lt;DefaultStoreDirectory&gt;</c>.</summary>
    public static ArtifactReference DefaultStore => ArtifactReference.ForLayout(DefaultStoreDirectory);

    /// <summary>The cache root; extracted bundles are in its <c>bundles/</c> folder.</summary>
    public static string CacheDirectory
        => Environment.GetEnvironmentVariable("ARC_CACHE") is { Length: > 0 } dir ? Path.GetFullPath(dir) : Path.Combine(Home, ".arc", "cache");

    /// <summary>The local NuGet package folder.</summary>
    public static string NuGetPackagesDirectory
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } dir ? Path.GetFullPath(dir) : Path.Combine(Home, ".nuget", "packages");

    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
        ? home
        : throw new InvalidOperationException("the user has no home directory: set ARC_ARTIFACTS, ARC_CACHE and NUGET_PACKAGES");
}
