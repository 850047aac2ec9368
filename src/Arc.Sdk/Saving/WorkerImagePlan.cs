using Arc.Remote;
using Arc.Artifacts;

namespace Arc.Sdk;

/// <summary>
/// What goes into a worker image, decided before anything is written: the layers' contents (bottom first) and the
/// config. Layers are ordered by how often they change — system libraries, the .NET runtime, the app's RID-specific
/// assets, the app — so rebuilding after a code change re-pushes only the top layer.
/// </summary>
internal sealed record WorkerImagePlan(IReadOnlyList<LayerContent> Layers, OciImageConfig Config, IReadOnlyList<string> SystemLibraries, IReadOnlyList<string> Unresolved)
{
    public const string SystemLayer = "system-libraries";
    public const string RuntimeLayer = "dotnet-runtime";
    public const string RuntimeAssetsLayer = "app-runtime-assets";
    public const string AppLayer = "app";

    public static async Task<WorkerImagePlan> CreateAsync(WorkerImageSubject subject, WorkerImageOptions options, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("worker images are built on Linux: their system libraries are copied from this machine");
        string modelAssembly = subject.AssemblyPath;
        var app = AppBundle.Collect(options.AppDirectory ?? Path.GetDirectoryName(modelAssembly)!, options.IncludeNativeLibraries);
        string assemblyInApp = Path.Combine(app.Directory, Path.GetFileName(modelAssembly));
        if (!File.Exists(assemblyInApp))
            throw new FileNotFoundException($"the app folder {app.Directory} does not hold the {subject.Kind.Word()}'s assembly {Path.GetFileName(modelAssembly)}", assemblyInApp);
        var runtime = DotnetRuntimeFiles.Resolve(options.DotnetRoot ?? DotnetRuntimeFiles.CurrentRoot(),
            Path.Combine(app.Directory, "Arc.Worker.runtimeconfig.json"));

        var runtimeFiles = runtime.Files().ToList();
        await DropUnloadableTracingProviderAsync(runtimeFiles, cancellationToken).ConfigureAwait(false);
        var runtimeLayer = new LayerContent(RuntimeLayer);
        foreach (var (relative, full) in runtimeFiles)
            runtimeLayer.AddFile(WorkerImage.DotnetDirectory + "/" + relative.Replace('\\', '/'), full);
        var assetsLayer = new LayerContent(RuntimeAssetsLayer);
        foreach (var file in app.RuntimeSpecificFiles) assetsLayer.AddFile(WorkerImage.AppDirectory + "/" + app.Relative(file), file);
        var appLayer = new LayerContent(AppLayer);
        foreach (var file in app.AppFiles) appLayer.AddFile(WorkerImage.AppDirectory + "/" + app.Relative(file), file);

        foreach (var extra in options.AdditionalSystemLibraries)
            if (!Path.IsPathFullyQualified(extra) || !File.Exists(extra))
                throw new FileNotFoundException($"the additional system library '{extra}' is not a full path to an existing file", extra);
        var hostLibraries = options.AdditionalSystemLibraries.ToList();
        if (options.IncludeOpenSsl) hostLibraries.Add(FindOpenSsl());
        var elfFiles = runtimeFiles.Select(file => file.FullPath).Where(IsSharedObjectOrHost)
            .Concat(app.NativeLibraries()).Concat(hostLibraries).ToArray();
        var provided = new HashSet<string>(runtimeFiles.Select(file => Path.GetFileName(file.FullPath))
            .Concat(app.RuntimeSpecificFiles.Concat(app.AppFiles).Select(Path.GetFileName))!, StringComparer.Ordinal);
        var dependencies = await ElfDependencies.ResolveAsync(elfFiles, provided, cancellationToken).ConfigureAwait(false);
        // A library inside the runtime or app folder is in its own layer already.
        var systemLibraries = dependencies.Libraries.Concat(hostLibraries)
            .Where(path => !IsUnder(path, runtime.Root) && !IsUnder(path, app.Directory))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var systemLayer = new LayerContent(SystemLayer);
        foreach (var library in systemLibraries) systemLayer.AddFile(library, library);
        systemLayer.AddDirectory("tmp", (UnixFileMode)0b1_111_111_111); // 01777: the runtime's diagnostics and temp files

        var layers = new[] { systemLayer, runtimeLayer, assetsLayer, appLayer }.Where(layer => layer.HasFiles).ToArray();
        var config = new OciImageConfig
        {
            Entrypoint = [WorkerImage.DotnetDirectory + "/dotnet", WorkerImage.AppDirectory + "/" + AppBundle.WorkerFileName],
            Env = Environment(subject, Path.GetFileName(modelAssembly), systemLibraries, options),
            WorkingDir = WorkerImage.AppDirectory,
            User = options.User,
            Labels = new Dictionary<string, string>
            {
                [WorkerImage.ModelLabel] = subject.Name,
                [WorkerImage.ModelTypeLabel] = subject.TypeName,
                [WorkerImage.AssemblyLabel] = Path.GetFileName(modelAssembly),
                [WorkerImage.KindLabel] = subject.Kind.Word(),
                ["org.opencontainers.image.title"] = subject.Kind == ArcKind.Pod
                    ? $"Arc worker for the pods of '{subject.Name}'"
                    : $"Arc worker for {subject.Kind.Word()} '{subject.Name}'",
            },
        };
        return new WorkerImagePlan(layers, config, systemLibraries, dependencies.Unresolved);
    }

    /// <summary>
    /// CoreCLR's LTTng tracing provider links against liblttng-ust, which few machines have; the runtime loads it only
    /// when it can (and goes on without it), so when its library is missing here it is left out rather than shipped broken.
    /// </summary>
    static async Task DropUnloadableTracingProviderAsync(List<(string RelativePath, string FullPath)> runtimeFiles, CancellationToken cancellationToken)
    {
        const string provider = "libcoreclrtraceptprovider.so";
        var found = runtimeFiles.Where(file => Path.GetFileName(file.FullPath) == provider).ToArray();
        foreach (var file in found)
        {
            var dependencies = await ElfDependencies.ResolveAsync([file.FullPath], new HashSet<string>(), cancellationToken).ConfigureAwait(false);
            if (dependencies.Unresolved.Count > 0) runtimeFiles.Remove(file);
        }
    }

    static IReadOnlyList<string> Environment(WorkerImageSubject subject, string assemblyFile,
        IReadOnlyList<string> systemLibraries, WorkerImageOptions options)
    {
        var env = new List<string>
        {
            $"PATH={WorkerImage.DotnetDirectory}:/usr/local/bin:/usr/bin:/bin",
            $"DOTNET_ROOT={WorkerImage.DotnetDirectory}",
            // The image carries no ICU: cultures behave as the invariant culture.
            "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1",
            "HOME=/tmp",
            $"{WorkerEnvironment.Marker}=1",
            $"{WorkerEnvironment.Assembly}={WorkerImage.AppDirectory}/{assemblyFile}",
        };
        env.AddRange(subject.Variables.Select(v => $"{v.Key}={v.Value}"));
        // Libraries the host loader found outside the default search path (via RUNPATH or LD_LIBRARY_PATH here) must be
        // findable in the container too.
        var extraDirectories = systemLibraries.Select(path => Path.GetDirectoryName(path)!)
            .Where(directory => !DefaultLibraryDirectories.Contains(directory)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (extraDirectories.Length > 0) env.Add("LD_LIBRARY_PATH=" + string.Join(':', extraDirectories));
        env.AddRange(options.Environment);
        return env;
    }

    /// <summary>
    /// The OpenSSL library the runtime would open: .NET on Linux hashes and does TLS through OpenSSL, which it loads with
    /// dlopen (so ldd does not list it) and without which it aborts at the first use ("No usable version of libssl").
    /// </summary>
    static string FindOpenSsl()
    {
        foreach (var name in new[] { "libssl.so.3", "libssl.so.1.1" })
            foreach (var directory in LibrarySearchOrder)
                if (File.Exists(Path.Combine(directory, name))) return Path.Combine(directory, name);
        throw new FileNotFoundException(
            "no OpenSSL (libssl.so.3 or libssl.so.1.1) was found in " + string.Join(", ", LibrarySearchOrder) +
            ": the .NET runtime needs it for hashing and TLS; install it (Debian: libssl3) or set WorkerImageOptions.IncludeOpenSsl = false");
    }

    static readonly string[] LibrarySearchOrder = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64
        ? ["/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"]
        : ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    static readonly HashSet<string> DefaultLibraryDirectories = new(StringComparer.Ordinal)
    {
        "/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
        "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
    };

    static bool IsSharedObjectOrHost(string path)
    {
        string name = Path.GetFileName(path);
        return name == "dotnet" || name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
    }

    static bool IsUnder(string path, string directory)
        => path.StartsWith(Path.TrimEndingDirectorySeparator(directory) + "/", StringComparison.Ordinal);
}

/// <summary>
/// What a worker image serves: a registered model or job created from its (hyper)parameters, or every pod of an
/// assembly; <paramref name="Variables"/> are the <c>ARC_WORKER_*</c> selectors baked into the image's environment.
/// </summary>
/// <param name="Kind">Model, job or pod (for pods).</param>
/// <param name="Name">The registered name; for pods, the assembly's name.</param>
/// <param name="TypeName">The class's full name; for pods, the assembly's.</param>
/// <param name="AssemblyPath">The user assembly, whose folder is the app.</param>
/// <param name="Variables">What selects the served thing in the worker (e.g. <c>ARC_WORKER_JOB</c>, <c>ARC_WORKER_PARAMETERS</c>).</param>
internal sealed record WorkerImageSubject(ArcKind Kind, string Name, string TypeName, string AssemblyPath, IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>A registered model or job created from <paramref name="parameters"/> (wire form).</summary>
    public static WorkerImageSubject For(ClassRegistration registration, byte[] parameters)
    {
        string assembly = registration.Type.Assembly.Location;
        if (string.IsNullOrEmpty(assembly))
            throw new InvalidOperationException($"{registration} comes from an assembly without a file; its build output cannot be copied");
        return new(registration.Kind, registration.Name, registration.Type.FullName ?? registration.Type.Name, assembly,
            WorkerLaunch.VariablesFor(registration.Kind, registration.Name, parameters));
    }

    /// <summary>Every pod of the one assembly that declares <paramref name="pods"/> (null: the program's entry assembly).</summary>
    public static WorkerImageSubject ForPods(IReadOnlyCollection<PodRegistration>? pods)
    {
        var assembly = WorkerLaunch.PodsAssembly(pods, "the pods argument");
        if (string.IsNullOrEmpty(assembly.Location))
            throw new InvalidOperationException($"the pods come from {assembly.GetName().Name}, an assembly without a file; its build output cannot be copied");
        string name = assembly.GetName().Name!;
        // The selectors a pods worker does not use are set empty, as in a pod's manifest: nothing else could then select a model.
        var variables = WorkerLaunch.PodsVariables();
        variables[WorkerEnvironment.Model] = "";
        variables[WorkerEnvironment.Job] = "";
        return new(ArcKind.Pod, name, name, assembly.Location, variables);
    }
}
