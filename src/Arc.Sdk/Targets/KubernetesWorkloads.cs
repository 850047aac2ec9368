using Arc.Kubernetes;

namespace Arc.Sdk;

/// <summary>The Kubernetes workloads of registered things (a model, a job, or the pods of an assembly): what <see cref="Target.Kubernetes"/> asks the cluster to run.</summary>
internal static class KubernetesWorkloads
{
    /// <summary>A worker serving the registered model <paramref name="registration"/> created from <paramref name="parametersWire"/>, named after the model.</summary>
    /// <param name="registration">The model's registration.</param>
    /// <param name="parametersWire">Its hyperparameters in their wire form.</param>
    /// <param name="options">The target's options (the assembly file name comes from there, else from the model class).</param>
    /// <param name="deploymentId">The deployment id; null: a fresh random one.</param>
    public static KubernetesWorkload ForModel(ClassRegistration registration, byte[] parametersWire, KubernetesTargetOptions options,
        string? deploymentId = null)
        => ForClass(ArcKind.Model, namePrefix: "", registration, parametersWire, options, deploymentId);

    /// <summary>
    /// A worker serving the registered job <paramref name="registration"/> created from <paramref name="parametersWire"/>,
    /// named <c>job-{name}</c> (so a job and a model of one name are told apart by their objects and labels).
    /// </summary>
    /// <param name="registration">The job's registration.</param>
    /// <param name="parametersWire">Its parameters in their wire form.</param>
    /// <param name="options">The target's options (the assembly file name comes from there, else from the job class).</param>
    /// <param name="deploymentId">The deployment id; null: a fresh random one.</param>
    public static KubernetesWorkload ForJob(ClassRegistration registration, byte[] parametersWire, KubernetesTargetOptions options,
        string? deploymentId = null)
        => ForClass(ArcKind.Job, namePrefix: "job-", registration, parametersWire, options, deploymentId);

    private static KubernetesWorkload ForClass(ArcKind kind, string namePrefix, ClassRegistration registration, byte[] parametersWire,
        KubernetesTargetOptions options, string? deploymentId)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(parametersWire);
        ArgumentNullException.ThrowIfNull(options);
        // The variables select by kind: a model's registration given as a job would make the worker look for a job of that name.
        if (registration.Kind != kind)
            throw new ArgumentException($"{registration} is not a {kind.Word()}", nameof(registration));
        string assembly = options.ModelAssemblyFileName ?? Path.GetFileName(registration.Type.Assembly.Location);
        if (string.IsNullOrEmpty(assembly))
            throw new InvalidOperationException(
                $"{registration} comes from an assembly without a file; set KubernetesTargetOptions.ModelAssemblyFileName");
        return new(namePrefix + registration.Name, deploymentId ?? KubernetesWorkload.NewDeploymentId(), assembly,
            WorkerLaunch.VariablesFor(kind, registration.Name, parametersWire));
    }

    /// <summary>
    /// A develop worker (<c>ARC_WORKER_DEVELOP=1</c>, docs/develop-mode.md) that will serve <paramref name="kind"/>
    /// <paramref name="name"/> once a reload brings the code, named <c>dev-{name}</c>. It starts with no user code: the
    /// image needs only Arc.Worker, and the assembly variable names the file only for the pod's description.
    /// </summary>
    /// <param name="kind">What it will serve (<c>DevelopKinds</c>): model, job or pods.</param>
    /// <param name="name">The registered name (for pods, the assembly's name).</param>
    /// <param name="assemblyPath">The user's assembly here, whose build folder the reloads send.</param>
    /// <param name="deploymentId">The deployment id; null: a fresh random one.</param>
    public static KubernetesWorkload ForDevelop(string kind, string name, string assemblyPath, string? deploymentId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        string prefix = kind == Arc.Remote.DevelopKinds.Model ? "dev-" : $"dev-{kind}-";
        return new(prefix + name, deploymentId ?? KubernetesWorkload.NewDeploymentId(), Path.GetFileName(assemblyPath),
            new Dictionary<string, string> { [Arc.Remote.WorkerEnvironment.Develop] = "1" });
    }

    /// <summary>
    /// A worker serving every pod registered by the assembly that declares <paramref name="pods"/> (as a local pods
    /// worker does), named <c>pods-{assembly}</c>.
    /// </summary>
    /// <param name="pods">The pods to serve (they must come from one assembly); null: the program's entry assembly.</param>
    /// <param name="options">The target's options (<see cref="KubernetesTargetOptions.ModelAssemblyFileName"/> names the file instead).</param>
    /// <param name="deploymentId">The deployment id; null: a fresh random one.</param>
    public static KubernetesWorkload ForPods(IReadOnlyCollection<PodRegistration>? pods, KubernetesTargetOptions options, string? deploymentId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string assembly = options.ModelAssemblyFileName
            ?? Path.GetFileName(WorkerLaunch.PodsAssembly(pods, "KubernetesTargetOptions.ModelAssemblyFileName").Location);
        if (string.IsNullOrEmpty(assembly))
            throw new InvalidOperationException("the pods come from an assembly without a file; set KubernetesTargetOptions.ModelAssemblyFileName");
        return new("pods-" + Path.GetFileNameWithoutExtension(assembly), deploymentId ?? KubernetesWorkload.NewDeploymentId(), assembly,
            WorkerLaunch.PodsVariables());
    }
}
