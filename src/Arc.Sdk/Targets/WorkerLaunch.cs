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
    /// <summary>A worker serving the registered model or job <paramref name="registration"/> created from <paramref name="parameters"/> (wire form).</summary>
    public static WorkerLaunch For(ClassRegistration registration, byte[] parameters, LocalProcessOptions options)
        => new(registration.Name, AssemblyOf(registration.Type, registration.ToString(), options), VariablesFor(registration.Kind, registration.Name, parameters));

    /// <summary>
    /// The variables that make a worker serve the model or job <paramref name="name"/> created from
    /// <paramref name="parameters"/> (wire form): <c>ARC_WORKER_MODEL</c> and <c>ARC_WORKER_HYPERPARAMETERS</c>, or
    /// <c>ARC_WORKER_JOB</c> and <c>ARC_WORKER_PARAMETERS</c>.
    /// </summary>
    public static Dictionary<string, string> VariablesFor(ArcKind kind, string name, byte[] parameters)
    {
        var (selector, parametersVariable) = Selector(kind);
        return new() { [selector] = name, [parametersVariable] = Convert.ToBase64String(parameters) };
    }

    /// <summary>The variable that names the model or job a worker serves, and the one that carries its (hyper)parameters.</summary>
    public static (string Name, string Parameters) Selector(ArcKind kind) => kind switch
    {
        ArcKind.Model => (WorkerEnvironment.Model, WorkerEnvironment.Hyperparameters),
        ArcKind.Job => (WorkerEnvironment.Job, WorkerEnvironment.Parameters),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "pods are selected all at once, with " + WorkerEnvironment.Pods),
    };

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
        var assemblies = pods.Select(p => p.Type.Assembly).Distinct().ToArray();
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
