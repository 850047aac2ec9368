namespace Arc.Artifacts;

/// <summary>
/// The parts of a .NET installation an app needs to run framework-dependent: the <c>dotnet</c> host, the newest
/// <c>host/fxr</c>, and each shared framework its <c>runtimeconfig.json</c> asks for (followed through the frameworks'
/// own runtimeconfig files, e.g. ASP.NET Core → Microsoft.NETCore.App) at the version the host would pick. Nothing
/// else of the installation (SDKs, packs, templates) is taken.
/// </summary>
internal sealed class DotnetRuntimeFiles
{
    DotnetRuntimeFiles(string root, string host, string fxrDirectory, IReadOnlyList<(string Name, Version Version, string Directory)> frameworks)
    {
        Root = root;
        Host = host;
        FxrDirectory = fxrDirectory;
        Frameworks = frameworks;
    }

    /// <summary>The installation's root (the folder of <c>dotnet</c>).</summary>
    public string Root { get; }

    /// <summary>The <c>dotnet</c> executable.</summary>
    public string Host { get; }

    /// <summary><c>host/fxr/&lt;version&gt;</c>.</summary>
    public string FxrDirectory { get; }

    /// <summary>The frameworks chosen, sorted by name.</summary>
    public IReadOnlyList<(string Name, Version Version, string Directory)> Frameworks { get; }

    /// <summary>Every file to copy, as (path relative to <see cref="Root"/>, full path), sorted.</summary>
    public IEnumerable<(string RelativePath, string FullPath)> Files()
    {
        yield return (Path.GetFileName(Host), Host);
        foreach (var file in Directory.EnumerateFiles(FxrDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return (Path.GetRelativePath(Root, file), file);
        foreach (var framework in Frameworks)
            foreach (var file in Directory.EnumerateFiles(framework.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                yield return (Path.GetRelativePath(Root, file), file);
    }

    /// <summary>The root of the .NET installation that runs this process (<c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>).</summary>
    public static string CurrentRoot()
        => Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>Resolves what <paramref name="runtimeConfigPath"/> needs from the installation at <paramref name="root"/>.</summary>
    public static DotnetRuntimeFiles Resolve(string root, string runtimeConfigPath)
    {
        root = Path.GetFullPath(root);
        string host = Path.Combine(root, "dotnet");
        if (!File.Exists(host)) throw new FileNotFoundException($"no dotnet host at {host}: set WorkerImageOptions.DotnetRoot to a .NET installation", host);
        string fxrRoot = Path.Combine(root, "host", "fxr");
        var fxr = Installed(fxrRoot).LastOrDefault();
        if (fxr.Directory is null) throw new DirectoryNotFoundException($"the .NET installation at {root} has no host/fxr/<version> folder");

        var chosen = new SortedDictionary<string, (Version Version, string Directory)>(StringComparer.Ordinal);
        var pending = new Queue<(FrameworkReference Reference, string AskedBy)>(
            FrameworkReference.Read(runtimeConfigPath).Select(reference => (reference, runtimeConfigPath)));
        if (pending.Count == 0) throw new InvalidDataException($"{runtimeConfigPath} names no shared framework");
        while (pending.TryDequeue(out var next))
        {
            var (reference, askedBy) = next;
            var installed = Installed(Path.Combine(root, "shared", reference.Name));
            var version = reference.Choose(installed.Select(i => i.Version))
                ?? throw new InvalidOperationException(
                    $"{askedBy} needs {reference.Name} {reference.Version} (roll forward: {reference.RollForward}), but {root} has " +
                    (installed.Count == 0 ? "none" : string.Join(", ", installed.Select(i => i.Version))) + $" of it: install that runtime or set WorkerImageOptions.DotnetRoot");
            if (chosen.TryGetValue(reference.Name, out var earlier) && earlier.Version >= version) continue;
            string directory = installed.First(i => i.Version == version).Directory;
            chosen[reference.Name] = (version, directory);
            // A framework names the frameworks it builds on in its own runtimeconfig file.
            string own = Path.Combine(directory, reference.Name + ".runtimeconfig.json");
            if (File.Exists(own))
                foreach (var dependency in FrameworkReference.Read(own)) pending.Enqueue((dependency, own));
        }
        return new DotnetRuntimeFiles(root, host, fxr.Directory,
            chosen.Select(pair => (pair.Key, pair.Value.Version, pair.Value.Directory)).ToArray());
    }

    static List<(Version Version, string Directory)> Installed(string parent)
        => !Directory.Exists(parent)
            ? []
            : Directory.EnumerateDirectories(parent)
                .Select(directory => (Ok: FrameworkReference.TryParseVersion(Path.GetFileName(directory), out var version), version, directory))
                .Where(entry => entry.Ok)
                .Select(entry => (entry.version, entry.directory))
                .OrderBy(entry => entry.version)
                .ToList();
}
