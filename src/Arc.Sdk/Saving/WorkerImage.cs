using Arc.Artifacts;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Deploy mode: bakes a registered model or job, or the <c>[Pod]</c> methods of an assembly, and the worker into a
/// runnable OCI image and pushes it to a registry or an OCI layout. The image needs no base image: it carries, in four layers (bottom first),
/// <list type="number">
/// <item><c>system-libraries</c>: the C/C++ runtime libraries (and the ELF loader) that the dotnet host, the runtime's
/// native parts and the app's native libraries link against, found with <c>ldd</c> and copied from this machine to the
/// same paths, plus an empty <c>/tmp</c> (mode 1777);</item>
/// <item><c>dotnet-runtime</c>: <c>/usr/share/dotnet</c> with the host, <c>host/fxr</c> and the shared frameworks the
/// worker's runtimeconfig.json asks for (Microsoft.NETCore.App and Microsoft.AspNetCore.App);</item>
/// <item><c>app-runtime-assets</c>: the app's <c>runtimes/linux*/</c> files (native libraries such as libtorch), when any;</item>
/// <item><c>app</c>: the rest of the model's build output in <c>/app</c>, Arc.Worker included.</item>
/// </list>
/// The entrypoint runs <c>dotnet /app/Arc.Worker.dll</c>; the environment selects what it serves — the model and its
/// hyperparameters (<c>ARC_WORKER_MODEL</c>, <c>ARC_WORKER_HYPERPARAMETERS</c>), the job and its parameters
/// (<c>ARC_WORKER_JOB</c>, <c>ARC_WORKER_PARAMETERS</c>) or every pod (<c>ARC_WORKER_PODS=1</c>) — and sets invariant
/// globalization (no ICU in the image).
/// The worker prints <c>ARC-WORKER-READY port=N</c> and serves on 127.0.0.1: run it with host networking (see
/// docs/deploy-image.md). Tars are deterministic (sorted, epoch times, root-owned), so the same inputs give the same
/// manifest digest. Linux only (x64, arm64).
/// </summary>
public static class WorkerImage
{
    /// <summary>Where the .NET runtime lives in the image.</summary>
    public const string DotnetDirectory = "/usr/share/dotnet";

    /// <summary>Where the app (the model's build output and the worker) lives in the image; the working directory.</summary>
    public const string AppDirectory = "/app";

    /// <summary>Image label holding the registered name of what the image serves (a model's or a job's; for pods, the assembly's name).</summary>
    public const string ModelLabel = "arc.model";

    /// <summary>Image label holding the served class's full name (for pods, the assembly's name).</summary>
    public const string ModelTypeLabel = "arc.model.type";

    /// <summary>Image label holding the user assembly's file name.</summary>
    public const string AssemblyLabel = "arc.model.assembly";

    /// <summary>Image label holding what the image serves: <c>model</c>, <c>job</c> or <c>pod</c> (every pod of the assembly).</summary>
    public const string KindLabel = "arc.kind";

    /// <summary>
    /// Builds the worker image for the registered model or job <paramref name="registration"/> created from
    /// <paramref name="hyperparameters"/> (a model's hyperparameters or a job's parameters in wire form; null for the
    /// defaults) and pushes it to <see cref="WorkerImageOptions.Repository"/>.
    /// </summary>
    /// <exception cref="Arc.Types.ArcFormatException">The bytes are not a valid map for this model or job.</exception>
    public static async Task<WorkerImageResult> BuildAsync(ClassRegistration registration, ReadOnlyMemory<byte>? hyperparameters,
        WorkerImageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(options);
        byte[] wire = hyperparameters?.ToArray() ?? registration.DefaultParametersWire;
        // Refuse bad parameters here rather than in a container that would exit at start. The model or job itself is
        // not created: it may want a device (a GPU) or data that only the machine running the image has.
        registration.CheckParameters(wire);
        return await BuildAsync(WorkerImageSubject.For(registration, wire), options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the worker image that serves every <c>[Pod]</c> method of the one assembly declaring
    /// <paramref name="pods"/> (null: the program's entry assembly), as <c>Target.DeployPodsAsync</c> starts a worker
    /// for them, and pushes it to <see cref="WorkerImageOptions.Repository"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The pods come from more than one assembly.</exception>
    public static Task<WorkerImageResult> BuildPodsAsync(IReadOnlyCollection<PodRegistration>? pods, WorkerImageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BuildAsync(WorkerImageSubject.ForPods(pods), options, cancellationToken);
    }

    private static async Task<WorkerImageResult> BuildAsync(WorkerImageSubject subject, WorkerImageOptions options, CancellationToken cancellationToken)
    {
        var plan = await WorkerImagePlan.CreateAsync(subject, options, cancellationToken).ConfigureAwait(false);

        string workDirectory = options.WorkDirectory ?? ArcTempPaths.CreateDirectory(ArcTempPaths.Image);
        try
        {
            var layers = new List<ImageLayer>(plan.Layers.Count);
            foreach (var content in plan.Layers)
                layers.Add(await ImageLayer.WriteAsync(content, workDirectory, options.Compression, cancellationToken).ConfigureAwait(false));
            var image = new OciImage(layers, plan.Config, new Dictionary<string, string> { [ModelLabel] = subject.Name });
            string tag = options.Tag ?? options.Repository.Tag ?? DefaultTag(subject.Kind == ArcKind.Pod ? "pods-" + subject.Name : subject.Name, image.Digest);
            using var store = ArtifactStores.Open(options.Repository, options.RegistryOptions);
            var reference = await image.PushAsync(store, tag, cancellationToken).ConfigureAwait(false);
            return new WorkerImageResult(reference, image, plan.SystemLibraries, plan.Unresolved);
        }
        finally
        {
            if (options.WorkDirectory is null) TryDelete(workDirectory);
        }
    }

    /// <summary>As <see cref="BuildAsync(ClassRegistration, ReadOnlyMemory{byte}?, WorkerImageOptions, CancellationToken)"/>, for a job with typed parameters.</summary>
    public static Task<WorkerImageResult> BuildAsync<TJob, TParameters, X, Y>(JobRegistration<TJob, TParameters, X, Y> registration,
        TParameters parameters, WorkerImageOptions options, CancellationToken cancellationToken = default)
        where TJob : class, ISupervisedJob<X, Y>
        where TParameters : class
        where X : class, Arc.Types.IArcData<X>
        where Y : class, Arc.Types.IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(parameters);
        return BuildAsync(registration, registration.WriteParameters(parameters), options, cancellationToken);
    }

    /// <summary>As <see cref="BuildAsync(ClassRegistration, ReadOnlyMemory{byte}?, WorkerImageOptions, CancellationToken)"/>, with typed hyperparameters.</summary>
    public static Task<WorkerImageResult> BuildAsync<TModel, THyperparameters, X, Y>(ModelRegistration<TModel, THyperparameters, X, Y> registration,
        THyperparameters hyperparameters, WorkerImageOptions options, CancellationToken cancellationToken = default)
        where TModel : class, ISupervisedModel<X, Y>
        where THyperparameters : class
        where X : class, Arc.Types.IArcData<X>
        where Y : class, Arc.Types.IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        return BuildAsync(registration, registration.WriteParameters(hyperparameters), options, cancellationToken);
    }

    /// <summary><c>worker-&lt;name&gt;-&lt;12 hex&gt;</c> (name: the model's or job's, or <c>pods-&lt;assembly&gt;</c>), the name shortened so the tag stays within 128 characters.</summary>
    public static string DefaultTag(string modelName, OciDigest digest)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(digest);
        const int room = 128 - 7 - 1 - 12; // "worker-", "-", 12 hex
        return $"worker-{(modelName.Length > room ? modelName[..room] : modelName)}-{digest.Short()}";
    }

    static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
