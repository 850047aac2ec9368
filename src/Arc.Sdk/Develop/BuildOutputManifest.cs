using Arc.Remote;
namespace Arc.Sdk;

/// <summary>
/// The files of a model's build folder (what <c>dotnet build</c> puts next to the assembly) with their content digests,
/// minus those the develop worker ships itself and those for other platforms. Every reload hashes every file again: a digest remembered by size and
/// write time could miss a rewrite and send stale code without a word, and the files left after the shared ones are few.
/// </summary>
internal sealed class BuildOutputManifest(string folder)
{
    /// <summary>One file to lay out: its path relative to the folder ('/'-separated), its full path, size and digest.</summary>
    public sealed record Entry(string RelativePath, string FullPath, long Size, string Digest);

    /// <summary>
    /// Hashes the folder; left out (and counted) are files named in <paramref name="shared"/> (the worker has its own)
    /// and <c>runtimes/&lt;rid&gt;/</c> assets of other platforms (<see cref="PlatformAssets"/>).
    /// </summary>
    public async Task<(IReadOnlyList<Entry> Files, int LeftOut)> ScanAsync(IReadOnlySet<string> shared, CancellationToken cancellationToken)
    {
        var files = new List<Entry>();
        int skipped = 0;
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            if (IsShared(Path.GetFileName(path), shared) || PlatformAssets.IsForOtherPlatform(relative))
            {
                skipped++;
                continue;
            }
            var info = new FileInfo(path);
            files.Add(new Entry(relative, path, info.Length, await BlobDigest.OfFileAsync(path, cancellationToken).ConfigureAwait(false)));
        }
        return (files, skipped);
    }

    // A shared assembly's symbols and docs are as useless to the worker as the assembly itself.
    private static bool IsShared(string name, IReadOnlySet<string> shared)
        => shared.Contains(name)
           || (name.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
              && shared.Contains(Path.ChangeExtension(name, ".dll"));
}
