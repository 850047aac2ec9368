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
    /// else the one assembly that declares <paramref name="pods"/>, else (no pods given) the program's entry assembly.
    /// </summary>
    public static WorkerLaunch ForPods(IReadOnlyCollection<PodRegistration>? pods, LocalProcessOptions options)
    {
        string path;
        if (options.ModelAssemblyPath is { } chosen)
            path = chosen;
        else if (pods is { Count: > 0 })
        {
            var assemblies = pods.Select(p => p.DeclaringType.Assembly).Distinct().ToArray();
            if (assemblies.Length > 1)
                throw new ArgumentException(
                    $"a worker process loads one assembly, but these pods come from {assemblies.Length}: " +
                    string.Join(", ", assemblies.Select(a => a.GetName().Name)) + "; start one worker per assembly", nameof(pods));
            path = AssemblyOf(pods.First().DeclaringType, pods.First().ToString(), options);
        }
        else
            path = System.Reflection.Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry
                ? entry
                : throw new InvalidOperationException("no pods were given and the program has no entry assembly file; pass the pods or set LocalProcessOptions.ModelAssemblyPath");
        return new("pods of " + Path.GetFileNameWithoutExtension(path), path, new Dictionary<string, string> { [WorkerEnvironment.Pods] = "1" });
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
