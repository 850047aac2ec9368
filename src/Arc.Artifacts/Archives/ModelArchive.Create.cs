using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Arc.Artifacts;

/// <summary>
/// Seed 004's model archive (docs/model-archive.md): a <c>.tar.gz</c> with <c>manifest.json</c> at its root and the
/// module dir — a build output folder — under the manifest's <c>module</c> path, with <c>requirements.json</c> recording
/// its NuGet packages. <see cref="CreateAsync"/> writes one byte for byte reproducibly; <see cref="ExtractAsync"/> opens
/// one safely.
/// </summary>
public static partial class ModelArchive
{
    private const UnixFileMode FileMode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode FileMode755 = FileMode644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Writes the archive <paramref name="options"/> describe. Its bytes depend only on the files' paths, contents and
    /// executable bits and on the manifest: entries sorted by path, every time the Unix epoch, owner 0:0 without names,
    /// a gzip header without a time. The file appears complete or not at all (written beside it, then renamed), and an
    /// existing file is never replaced.
    /// </summary>
    /// <exception cref="ArgumentException">An option is wrong: no such module dir, an entry assembly missing, the output exists.</exception>
    /// <exception cref="ArtifactFormatException">The manifest file (<c>-M</c>) is not a valid manifest.</exception>
    public static async Task<ModelArchiveResult> CreateAsync(ModelArchiveOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string module = Path.GetFullPath(options.ModuleDirectory.Length == 0 ? "." : options.ModuleDirectory);
        if (!Directory.Exists(module)) throw new ArgumentException($"module dir {module} does not exist (-m/--module-dir)");
        string output = Path.GetFullPath(options.Output);
        if (File.Exists(output) || Directory.Exists(output))
            throw new ArgumentException($"{output} exists; choose another output (-o/--output) or remove it first");

        var (manifest, manifestBytes) = ManifestFor(options, module);
        var entries = new[] { manifest.TrainingEntry, manifest.ServingEntry }.OfType<ModuleEntry>().ToList();
        foreach (var entry in entries)
            if (!File.Exists(Path.Combine(module, entry.AssemblyPath)))
                throw new ArgumentException($"the module dir {module} has no {entry.AssemblyPath} (named by entry '{entry}')");

        var requirements = Requirements(module, entries.Select(e => e.AssemblyPath).Distinct(StringComparer.Ordinal));
        var external = requirements.External.SelectMany(p => p.Files).Select(f => f.OutputPath).ToHashSet(StringComparer.Ordinal);
        string prefix = manifest.Module.Trim('/') is { Length: > 0 } m ? m + "/" : "";

        // Archive path → (file on disk or null, bytes or null); sorted ordinally, so the order on disk never matters.
        var files = new SortedDictionary<string, (string? File, byte[]? Bytes)>(StringComparer.Ordinal)
        {
            [ModelArchiveManifest.FileName] = (null, manifestBytes),
            [prefix + ModuleRequirements.FileName] = (null, requirements.ToJson()),
        };
        foreach (string file in Directory.EnumerateFiles(module, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string relative = Path.GetRelativePath(module, file).Replace('\\', '/');
            if (external.Contains(relative) || Path.GetFullPath(file) == output) continue;
            files.TryAdd(prefix + relative, (file, null));
        }

        string directory = Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(output)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await WriteTarGzAsync(stream, files, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, output, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
        byte[] hash;
        var written = File.OpenRead(output);
        await using (written.ConfigureAwait(false))
            hash = await SHA256.HashDataAsync(written, cancellationToken).ConfigureAwait(false);
        return new ModelArchiveResult(output, manifest, files.Count, new FileInfo(output).Length, Convert.ToHexStringLower(hash), requirements);
    }

    /// <summary>
    /// The entry a module dir trains and serves with when none is named: its one app, the assembly with a
    /// <c>.deps.json</c> and a <c>.runtimeconfig.json</c> beside it. Arc's own programs that a build copies along
    /// (<c>Arc.Worker</c>, <c>Arc.Cli</c>) are not candidates.
    /// </summary>
    /// <exception cref="ArgumentException">The folder has no app, or several.</exception>
    public static ModuleEntry DefaultEntry(string moduleDirectory)
    {
        var apps = Directory.EnumerateFiles(moduleDirectory, "*.runtimeconfig.json")
            .Select(f => Path.GetFileName(f)[..^".runtimeconfig.json".Length])
            .Where(name => File.Exists(Path.Combine(moduleDirectory, name + ".dll")) && File.Exists(Path.Combine(moduleDirectory, name + ".deps.json")))
            .Where(name => !name.StartsWith("Arc.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return apps.Count switch
        {
            1 => new ModuleEntry(apps[0] + ".dll", null),
            0 => throw new ArgumentException(
                $"{moduleDirectory} has no app (an assembly with its .deps.json and .runtimeconfig.json): point -m at a build output folder, or name the assembly with -t/-s"),
            _ => throw new ArgumentException(
                $"{moduleDirectory} has {apps.Count} apps ({string.Join(", ", apps)}): name the one to use with -t/--train-script and -s/--serve-script"),
        };
    }

    private static (ModelArchiveManifest Manifest, byte[] Bytes) ManifestFor(ModelArchiveOptions options, string module)
    {
        if (options.ManifestFile is { } file)
        {
            if (!string.Equals(Path.GetFileName(file), ModelArchiveManifest.FileName, StringComparison.Ordinal))
                throw new ArgumentException($"the manifest file must be named {ModelArchiveManifest.FileName} (case sensitive), not '{Path.GetFileName(file)}' (-M/--manifest-file)");
            if (!File.Exists(file)) throw new ArgumentException($"manifest file {Path.GetFullPath(file)} does not exist (-M/--manifest-file)");
            // Kept byte for byte: fields this version does not know stay exactly as the author wrote them.
            byte[] bytes = File.ReadAllBytes(file);
            return (ModelArchiveManifest.Parse(bytes, Path.GetFullPath(file)), bytes);
        }
        ModuleEntry? training = options.TrainingScript is { } t ? Entry(t, "-t/--train-script") : null;
        ModuleEntry? serving = options.ServingScript is { } s ? Entry(s, "-s/--serve-script") : null;
        if (training is null || serving is null)
        {
            var fallback = training ?? serving ?? DefaultEntry(module);
            training ??= fallback;
            serving ??= fallback;
        }
        var manifest = new ModelArchiveManifest
        {
            TrainingScript = training.ToString(),
            ServingScript = serving.ToString(),
            LogDirectory = options.LogDirectory,
            LogNamingFormat = options.LogNamingFormat,
            EnableTensorboard = options.EnableTensorboard,
            TensorboardDirectory = options.TensorboardDirectory,
            ExtraFields = options.ExtraFields is { Count: > 0 } extra ? new(extra, StringComparer.Ordinal) : null,
        };
        byte[] json = manifest.ToJson();
        return (ModelArchiveManifest.Parse(json, "the options"), json);
    }

    private static ModuleEntry Entry(string text, string option)
    {
        try
        {
            return ModuleEntry.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{option}: {e.Message}", e);
        }
    }

    /// <summary>The NuGet packages of the entry assemblies' <c>.deps.json</c>; the large ones as external requirements.</summary>
    private static ModuleRequirements Requirements(string module, IEnumerable<string> assemblies)
    {
        var packages = new SortedDictionary<string, NuGetPackage>(StringComparer.OrdinalIgnoreCase);
        var external = new SortedDictionary<string, PackageRequirement>(StringComparer.OrdinalIgnoreCase);
        foreach (string assembly in assemblies)
        {
            string path = Path.Combine(module, assembly);
            string deps = Path.ChangeExtension(path, ".deps.json");
            if (!File.Exists(deps))
                throw new ArgumentException($"{assembly} has no {Path.GetFileName(deps)} beside it, so its NuGet dependencies are unknown: package a build output folder (of an exe or test project)");
            foreach (var library in DepsManifest.Read(deps).Where(l => l.IsPackage))
                packages.TryAdd(library.Id + "/" + library.Version, new NuGetPackage(library.Id, library.Version));
            foreach (var requirement in CodeBundle.FromAssembly(path).Requirements)
                external.TryAdd(requirement.Id + "/" + requirement.Version, requirement);
        }
        return new ModuleRequirements { Packages = packages.Values.ToList(), External = external.Values.ToList() };
    }

    private static async Task WriteTarGzAsync(Stream destination, SortedDictionary<string, (string? File, byte[]? Bytes)> files, CancellationToken cancellationToken)
    {
        // Optimal level, no file name and no time in the gzip header (.NET writes MTIME 0): equal input, equal bytes.
        var gzip = new GZipStream(destination, CompressionLevel.Optimal, leaveOpen: true);
        await using var gzipDisposal = gzip.ConfigureAwait(false);
        var writer = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true);
        await using var writerDisposal = writer.ConfigureAwait(false);
        foreach (var (path, (file, bytes)) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = new GnuTarEntry(TarEntryType.RegularFile, path)
            {
                Uid = 0,
                Gid = 0,
                UserName = "",
                GroupName = "",
                ModificationTime = DeterministicTar.Timestamp,
                AccessTime = DeterministicTar.Timestamp,
                ChangeTime = DeterministicTar.Timestamp,
                Mode = FileMode644,
            };
            if (bytes is not null)
            {
                entry.DataStream = new MemoryStream(bytes, writable: false);
                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var content = new FileStream(file!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var contentDisposal = content.ConfigureAwait(false);
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file!) & UnixFileMode.UserExecute) != 0) entry.Mode = FileMode755;
            long length = content.Length;
            entry.DataStream = content;
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            if (content.Length != length || content.Position != length)
                throw new IOException($"{file} changed size while it was written into the archive (as '{path}')");
        }
    }
}
