namespace Arc.Tracking.Tests.Support;

/// <summary>The repository this test assembly was built from, found from the assembly's folder upwards.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Arc.Sdk.sln"))) return folder.FullName;
        throw new InvalidOperationException($"no Arc.Sdk.sln above {AppContext.BaseDirectory}");
    });

    /// <summary>The path of <paramref name="relative"/> (a path from the repository's root).</summary>
    public static string Of(string relative) => Path.Combine(RootPath.Value, relative);
}
