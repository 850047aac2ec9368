using Arc.Remote;

namespace Arc.Sdk;

/// <summary>
/// What one <c>Arc.Worker</c> child process is asked to serve: a display name for logs and errors, the user's assembly
/// that registers it, and the <c>ARC_WORKER_*</c> variables that select it (see <c>src/Arc.Worker/Program.cs</c>).
/// </summary>
/// <param name="Name">The served thing's registered name, used in log prefixes and errors.</param>
/// <param name="AssemblyPath">The user's assembly; the worker loads it and runs its module initializer.</param>
/// <param name="Variables">The variables that say what to serve, e.g. <c>ARC_WORKER_MODEL</c>.</param>
internal sealed record WorkerLaunch(string Name, string AssemblyPath, IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>A worker serving the registered model <paramref name="registration"/> created from <paramref name="hyperparameters"/> (wire form).</summary>
    public static WorkerLaunch ForModel(ModelRegistration registration, byte[] hyperparameters, LocalProcessOptions options)
        => new(registration.Name, AssemblyOf(registration.ModelType, registration.ToString(), options), ModelVariables(registration.Name, hyperparameters));

    /// <summary>The variables that make a worker serve the model <paramref name="name"/> created from <paramref name="hyperparameters"/> (wire form).</summary>
    public static Dictionary<string, string> ModelVariables(string name, byte[] hyperparameters) => new()
    {
        [WorkerEnvironment.Model] = name,
        [WorkerEnvironment.Hyperparameters] = Convert.ToBase64String(hyperparameters),
    };

    /// <summary>The variables that make a worker serve the job <paramref name="name"/> created from <paramref name="parameters"/> (wire form).</summary>
    public static Dictionary<string, string> JobVariables(string name, byte[] parameters) => new()
    {
        [WorkerEnvironment.Job] = name,
        [WorkerEnvironment.Parameters] = Convert.ToBase64String(parameters),
    };

    /// <summary>A worker serving the registered job <paramref name="registration"/> created from <paramref name="parameters"/> (wire form).</summary>
    public static WorkerLaunch ForJob(JobRegistration registration, byte[] parameters, LocalProcessOptions options)
        => new(registration.Name, AssemblyOf(registration.JobType, registration.ToString(), options), JobVariables(registration.Name, parameters));

    /// <summary>
    /// A worker serving every pod registered by one assembly: the options' <see cref="LocalProcessOptions.ModelAssemblyPath"/>,
    /// else the one assembly that declares <paramref name="pods"/> (<see cref="PodsAssembly"/>).
    /// </summary>
    public static WorkerLaunch ForPods(IReadOnlyCollection<PodRegistration>? pods, LocalProcessOptions options)
    {
        string path = options.ModelAssemblyPath ?? PodsAssembly(pods, "LocalProcessOptions.ModelAssemblyPath").Location;
        if (string.IsNullOrEmpty(path))
            throw new InvalidOperationException("the pods come from an assembly without a file; set LocalProcessOptions.ModelAssemblyPath");
        return new("pods of " + Path.GetFileNameWithoutExtension(path), path, PodsVariables());
    }

    /// <summary>The variables that make a worker serve every pod its assembly registers.</summary>
    public static Dictionary<string, string> PodsVariables() => new() { [WorkerEnvironment.Pods] = "1" };

    /// <summary>
    /// The one assembly a pods worker loads: the assembly that declares <paramref name="pods"/>, or (no pods given) the
    /// program's entry assembly. A worker loads one assembly, so pods from several are refused.
    /// </summary>
    /// <param name="pods">The pods to serve, or null.</param>
    /// <param name="option">The option that names the assembly instead, for the error when there is none.</param>
    public static System.Reflection.Assembly PodsAssembly(IReadOnlyCollection<PodRegistration>? pods, string option)
    {
        if (pods is not { Count: > 0 })
            return System.Reflection.Assembly.GetEntryAssembly()
                ?? throw new InvalidOperationException($"no pods were given and the program has no entry assembly; pass the pods or set {option}");
        var assemblies = pods.Select(p => p.DeclaringType.Assembly).Distinct().ToArray();
        if (assemblies.Length > 1)
            throw new ArgumentException(
                $"a worker loads one assembly, but these pods come from {assemblies.Length}: " +
                string.Join(", ", assemblies.Select(a => a.GetName().Name)) + "; start one worker per assembly", nameof(pods));
        return assemblies[0];
    }

    /// <summary>The assembly to load: the options' choice, or the file <paramref name="type"/> was loaded from.</summary>
    public static string AssemblyOf(Type type, string what, LocalProcessOptions options)
    {
        string path = options.ModelAssemblyPath ?? type.Assembly.Location;
        if (string.IsNullOrEmpty(path))
            throw new InvalidOperationException($"{what} comes from an assembly without a file; set LocalProcessOptions.ModelAssemblyPath");
        return path;
    }
}
