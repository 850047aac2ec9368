using Arc.Artifacts;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Deploy mode: bakes a registered model and its worker into a runnable OCI image and pushes it to a registry or an
/// OCI layout. The image needs no base image: it carries, in four layers (bottom first),
/// <list type="number">
/// <item><c>system-libraries</c>: the C/C++ runtime libraries (and the ELF loader) that the dotnet host, the runtime's
/// native parts and the app's native libraries link against, found with <c>ldd</c> and copied from this machine to the
/// same paths, plus an empty <c>/tmp</c> (mode 1777);</item>
/// <item><c>dotnet-runtime</c>: <c>/usr/share/dotnet</c> with the host, <c>host/fxr</c> and the shared frameworks the
/// worker's runtimeconfig.json asks for (Microsoft.NETCore.App and Microsoft.AspNetCore.App);</item>
/// <item><c>app-runtime-assets</c>: the app's <c>runtimes/linux*/</c> files (native libraries such as libtorch), when any;</item>
/// <item><c>app</c>: the rest of the model's build output in <c>/app</c>, Arc.Worker included.</item>
/// </list>
/// The entrypoint runs <c>dotnet /app/Arc.Worker.dll</c>; the environment selects the model and its hyperparameters
/// (<c>ARC_WORKER_MODEL</c>, <c>ARC_WORKER_HYPERPARAMETERS</c>) and sets invariant globalization (no ICU in the image).
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

    /// <summary>Image label holding the model's registered name.</summary>
    public const string ModelLabel = "arc.model";

    /// <summary>Image label holding the model class's full name.</summary>
    public const string ModelTypeLabel = "arc.model.type";

    /// <summary>Image label holding the model assembly's file name.</summary>
    public const string AssemblyLabel = "arc.model.assembly";

    /// <summary>
    /// Builds the worker image for <paramref name="registration"/> created from <paramref name="hyperparameters"/> (wire
    /// form; null for the defaults) and pushes it to <see cref="WorkerImageOptions.Repository"/>.
    /// </summary>
    /// <exception cref="Arc.Types.ArcFormatException">The hyperparameter bytes are not a valid map for this model.</exception>
    public static async Task<WorkerImageResult> BuildAsync(ClassRegistration registration, ReadOnlyMemory<byte>? hyperparameters,
        WorkerImageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(options);
        if (registration.Kind != ArcKind.Model)
            throw new ArgumentException($"worker images serve models; {registration} is a {registration.Kind.Word()}", nameof(registration));
        byte[] wire = hyperparameters?.ToArray() ?? registration.DefaultParametersWire;
        // Refuse bad hyperparameters here rather than in a container that would exit at start. The model itself is not
        // created: it may want a device (a GPU) that only the machine running the image has.
        registration.CheckParameters(wire);
        var plan = await WorkerImagePlan.CreateAsync(registration, wire, options, cancellationToken).ConfigureAwait(false);

        string workDirectory = options.WorkDirectory ?? ArcTempPaths.CreateDirectory(ArcTempPaths.Image);
        try
        {
            var layers = new List<ImageLayer>(plan.Layers.Count);
            foreach (var content in plan.Layers)
                layers.Add(await ImageLayer.WriteAsync(content, workDirectory, options.Compression, cancellationToken).ConfigureAwait(false));
            var image = new OciImage(layers, plan.Config, new Dictionary<string, string> { [ModelLabel] = registration.Name });
            string tag = options.Tag ?? options.Repository.Tag ?? DefaultTag(registration.Name, image.Digest);
            using var store = ArtifactStores.Open(options.Repository, options.RegistryOptions);
            var reference = await image.PushAsync(store, tag, cancellationToken).ConfigureAwait(false);
            return new WorkerImageResult(reference, image, plan.SystemLibraries, plan.Unresolved);
        }
        finally
        {
            if (options.WorkDirectory is null) TryDelete(workDirectory);
        }
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

    /// <summary><c>worker-&lt;model&gt;-&lt;12 hex&gt;</c>, the model name shortened so the tag stays within 128 characters.</summary>
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
