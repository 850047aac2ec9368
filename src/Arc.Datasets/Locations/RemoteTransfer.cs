using Arc.Artifacts;

namespace Arc.Datasets;

/// <summary>
/// Moves whole versions between a local folder and a <see cref="RemoteVersion"/>. Publishing writes the version into a
/// local staging folder first (the same code as a folder destination) and sends it; opening downloads exactly the
/// files meta.json lists into a local folder, which is then checked (sizes, hashes, headers) as a published folder is.
/// </summary>
internal static class RemoteTransfer
{
    /// <summary>The largest meta.json read from a remote destination: a hostile server cannot make it allocate more.</summary>
    public const int MaxMetaBytes = 64 << 20;

    /// <summary>A new local folder owned by this process (swept if it dies), for staging or downloading a version.</summary>
    public static string CreateLocalFolder() => ArcTempPaths.CreateDirectory(ArcTempPaths.Transfer);

    /// <summary>Removes a folder made by <see cref="CreateLocalFolder"/>.</summary>
    public static void DeleteLocalFolder(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* an owned temporary path: swept once this process is gone */ }
    }

    /// <summary>Sends every file under <paramref name="folder"/> (meta.json last) as <paramref name="remote"/>.</summary>
    public static Task PublishAsync(RemoteVersion remote, string folder, string artifactType, Func<Exception> exists, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        return remote.PublishAsync(folder, files, artifactType, exists, cancellationToken);
    }

    /// <summary>
    /// Downloads <paramref name="remote"/>'s meta.json into <paramref name="folder"/>, asks <paramref name="filesOf"/>
    /// (which reads it as the local opener does) which files the version has, and downloads each, exactly as long as
    /// meta.json says. Returns false when the version does not exist. <c>formatError</c> makes the caller's format
    /// exception for a remote file and what is wrong with it.
    /// </summary>
    public static async Task<bool> DownloadAsync(RemoteVersion remote, string folder, Func<string, CancellationToken, Task<IReadOnlyList<(string File, long Bytes)>>> filesOf,
        Func<string, string, Exception> formatError, CancellationToken cancellationToken)
    {
        var meta = await remote.ReadSmallAsync(MetaJson.FileName, MaxMetaBytes, formatError, cancellationToken).ConfigureAwait(false);
        if (meta is null) return false;
        string metaPath = Path.Combine(folder, MetaJson.FileName);
        await File.WriteAllBytesAsync(metaPath, meta, cancellationToken).ConfigureAwait(false);
        foreach (var (file, bytes) in await filesOf(metaPath, cancellationToken).ConfigureAwait(false))
        {
            string path = LocalPath(folder, file) ?? throw formatError($"{remote.Uri}/{MetaJson.FileName}",
                $"lists the file '{file}', which is not a plain relative path inside the version; nothing was downloaded for it");
            if (File.Exists(path)) throw formatError($"{remote.Uri}/{MetaJson.FileName}", $"lists the file '{file}' twice");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await remote.DownloadAsync(file, bytes, path, formatError, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Where <paramref name="file"/> goes under <paramref name="folder"/>, or null when a hostile name would leave it or clobber meta.json.</summary>
    internal static string? LocalPath(string folder, string file)
    {
        if (file.Length == 0 || file == MetaJson.FileName || file.Contains('\\', StringComparison.Ordinal) || file.Contains('\0', StringComparison.Ordinal)
            || Path.IsPathRooted(file) || file.Split('/').Any(segment => segment is "" or "." or ".."))
            return null;
        string path = Path.GetFullPath(Path.Combine(folder, file));
        return path.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }
}
