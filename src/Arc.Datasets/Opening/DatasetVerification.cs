namespace Arc.Datasets;

/// <summary>
/// Checks a version folder against its meta.json: the same files, of the recorded sizes, and (unless skipped) of the
/// recorded SHA-256s, which together hash to the recorded content hash. Each finding names the file.
/// </summary>
internal static class DatasetVerification
{
    /// <summary>Checks the files' presence and sizes.</summary>
    /// <exception cref="DatasetFormatException">A file listed but missing, present but not listed, or of another size.</exception>
    public static void CheckFiles(string folder, DatasetMetadata meta)
    {
        var listed = meta.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var present = DatasetHashing.ListFiles(folder);
        var presentSet = present.ToHashSet(StringComparer.Ordinal);
        foreach (var file in meta.Files)
            if (!presentSet.Contains(file.Path))
                throw new DatasetFormatException(Full(folder, file.Path), $"is missing; meta.json lists it ({file.Bytes} bytes)");
        foreach (var path in present)
        {
            if (!listed.TryGetValue(path, out var file))
                throw new DatasetFormatException(Full(folder, path), "is not one of the files meta.json lists; a published version never changes");
            long bytes = new FileInfo(Full(folder, path)).Length;
            if (bytes != file.Bytes)
                throw new DatasetFormatException(Full(folder, path), $"is {bytes} bytes, but meta.json recorded {file.Bytes}: it was {(bytes < file.Bytes ? "truncated" : "changed")} after publishing");
        }
    }

    /// <summary>Hashes every file and checks each against meta.json, then the content hash.</summary>
    /// <exception cref="DatasetHashMismatchException">A file, or meta.json itself, changed after publishing.</exception>
    public static async Task CheckHashesAsync(string folder, DatasetMetadata meta, byte[] content, CancellationToken cancellationToken)
    {
        if (meta.Hash.Algorithm != DatasetHashing.Algorithm)
            throw new DatasetFormatException(Full(folder, MetaJson.FileName), $"hash.algorithm is '{meta.Hash.Algorithm}'; this Arc verifies '{DatasetHashing.Algorithm}'");
        var paths = meta.Files.Select(f => f.Path).ToList();
        var hashed = await DatasetHashing.HashFilesAsync(folder, paths, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < hashed.Length; i++)
            if (hashed[i].Sha256 != meta.Files[i].Sha256)
                throw new DatasetHashMismatchException(Full(folder, paths[i]),
                    $"has SHA-256 {hashed[i].Sha256}, but meta.json recorded {meta.Files[i].Sha256}: the file changed after publishing");
        string value = DatasetHashing.Combine(hashed, content);
        if (value != meta.Hash.Value)
            throw new DatasetHashMismatchException(Full(folder, MetaJson.FileName),
                $"hash.value is {meta.Hash.Value}, but the files and the content member hash to {value}: meta.json was changed after publishing");
    }

    private static string Full(string folder, string relative) => Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
}
