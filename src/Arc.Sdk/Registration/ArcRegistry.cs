using System.Reflection;

namespace Arc.Sdk;

/// <summary>
/// The process-wide catalogue of models, jobs and pods. Generated module initializers fill it when an assembly
/// loads, so a host finds what a user's assembly offers without scanning it. Thread-safe.
/// </summary>
/// <remarks>Names are unique per kind (a model and a job may share one) and compared ordinally.</remarks>
public static class ArcRegistry
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<(ArcKind Kind, string Name), ArcRegistration> ByName = [];

    /// <summary>Adds a model, a job or a pod; adding the same registration again does nothing.</summary>
    /// <exception cref="InvalidOperationException">Another registration of the same kind already uses the name.</exception>
    public static void Register(ArcRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (Gate)
        {
            if (ByName.TryGetValue((registration.Kind, registration.Name), out var existing))
            {
                // The same registration twice is harmless; two owners under one name would make lookups ambiguous.
                if (ReferenceEquals(existing, registration))
                    return;
                throw new InvalidOperationException(
                    $"A {registration.Kind.Word()} named '{registration.Name}' is already registered by {existing.Owner}; " +
                    $"{registration.Owner} cannot use the same name. Give one of them another name with [{registration.Kind}(Name = \"...\")].");
            }
            ByName.Add((registration.Kind, registration.Name), registration);
        }
    }

    /// <summary>
    /// Removes every registration whose type comes from <paramref name="assembly"/>: a notebook cell that runs again
    /// compiles a new assembly whose registrations replace the old one's (Arc.Interactive).
    /// </summary>
    internal static void Forget(Assembly assembly)
    {
        lock (Gate)
            foreach (var key in ByName.Where(e => e.Value.Type.Assembly == assembly).Select(e => e.Key).ToList())
                ByName.Remove(key);
    }

    /// <summary>Every registered model, ordered by name.</summary>
    public static IReadOnlyList<ClassRegistration> Models => Snapshot<ClassRegistration>(ArcKind.Model);

    /// <summary>Every registered job, ordered by name.</summary>
    public static IReadOnlyList<ClassRegistration> Jobs => Snapshot<ClassRegistration>(ArcKind.Job);

    /// <summary>Every registered pod, ordered by name.</summary>
    public static IReadOnlyList<PodRegistration> Pods => Snapshot<PodRegistration>(ArcKind.Pod);

    /// <summary>The model registered as <paramref name="name"/>, or <c>null</c>.</summary>
    public static ClassRegistration? FindModel(string name) => (ClassRegistration?)Find(ArcKind.Model, name);

    /// <summary>The job registered as <paramref name="name"/>, or <c>null</c>.</summary>
    public static ClassRegistration? FindJob(string name) => (ClassRegistration?)Find(ArcKind.Job, name);

    /// <summary>The pod registered as <paramref name="name"/>, or <c>null</c>.</summary>
    public static PodRegistration? FindPod(string name) => (PodRegistration?)Find(ArcKind.Pod, name);

    /// <summary>The model registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No model has that name; the message lists the names that exist.</exception>
    public static ClassRegistration GetModel(string name) => (ClassRegistration)Get(ArcKind.Model, name);

    /// <summary>The job registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No job has that name; the message lists the names that exist.</exception>
    public static ClassRegistration GetJob(string name) => (ClassRegistration)Get(ArcKind.Job, name);

    /// <summary>The pod registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No pod has that name; the message lists the names that exist.</exception>
    public static PodRegistration GetPod(string name) => (PodRegistration)Get(ArcKind.Pod, name);

    /// <summary>
    /// Removes everything registered by types of <paramref name="assembly"/> — for hosts that unload a collectible
    /// load context (hot reload) and load the assembly again: its models, jobs and pods, their protocol modules
    /// (<see cref="ProtocolModules"/>) and its command-line catalog (<see cref="CommandLineCatalogs"/>). Any of them
    /// left behind would hold the context's types and keep it from being freed.
    /// </summary>
    /// <returns>How many models, jobs and pods were removed.</returns>
    public static int Unregister(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ProtocolModules.Unregister(assembly);
        CommandLineCatalogs.Unregister(assembly);
        lock (Gate)
        {
            var doomed = ByName.Where(pair => pair.Value.Type.Assembly == assembly).Select(pair => pair.Key).ToArray();
            foreach (var key in doomed)
                ByName.Remove(key);
            return doomed.Length;
        }
    }

    private static ArcRegistration? Find(ArcKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (Gate)
            return ByName.GetValueOrDefault((kind, name));
    }

    private static ArcRegistration Get(ArcKind kind, string name)
    {
        if (Find(kind, name) is { } found)
            return found;
        var names = Snapshot<ArcRegistration>(kind).Select(r => r.Name).ToArray();
        string known = names.Length == 0 ? "none are registered (is the assembly that declares it loaded?)" : "registered: " + string.Join(", ", names);
        throw new KeyNotFoundException($"No {kind.Word()} named '{name}'; {known}");
    }

    private static T[] Snapshot<T>(ArcKind kind) where T : ArcRegistration
    {
        lock (Gate)
            return ByName.Where(pair => pair.Key.Kind == kind).OrderBy(pair => pair.Key.Name, StringComparer.Ordinal).Select(pair => (T)pair.Value).ToArray();
    }
}
