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
    private static readonly Dictionary<string, ModelRegistration> ModelsByName = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, JobRegistration> JobsByName = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, PodRegistration> PodsByName = new(StringComparer.Ordinal);

    /// <summary>Adds a model.</summary>
    /// <exception cref="InvalidOperationException">Another model type already uses the name.</exception>
    public static void Register(ModelRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Add(ModelsByName, registration.Name, registration, registration.ModelType, static r => r.ModelType, "model", "[Model(Name = \"...\")]");
    }

    /// <summary>Adds a job.</summary>
    /// <exception cref="InvalidOperationException">Another job type already uses the name.</exception>
    public static void Register(JobRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Add(JobsByName, registration.Name, registration, registration.JobType, static r => r.JobType, "job", "[Job(Name = \"...\")]");
    }

    /// <summary>Adds a pod.</summary>
    /// <exception cref="InvalidOperationException">Another pod already uses the name.</exception>
    public static void Register(PodRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (Gate)
        {
            if (PodsByName.TryGetValue(registration.Name, out var existing))
                throw new InvalidOperationException(
                    $"A pod named '{registration.Name}' is already registered ({existing.DeclaringType.FullName}.{existing.MethodName}); " +
                    $"{registration.DeclaringType.FullName}.{registration.MethodName} cannot use the same name. Give one of them another name with [Pod(Name = \"...\")].");
            PodsByName.Add(registration.Name, registration);
        }
    }

    /// <summary>Every registered model, ordered by name.</summary>
    public static IReadOnlyList<ModelRegistration> Models => Snapshot(ModelsByName);

    /// <summary>Every registered job, ordered by name.</summary>
    public static IReadOnlyList<JobRegistration> Jobs => Snapshot(JobsByName);

    /// <summary>Every registered pod, ordered by name.</summary>
    public static IReadOnlyList<PodRegistration> Pods => Snapshot(PodsByName);

    /// <summary>The model registered as <paramref name="name"/>, or <c>null</c>.</summary>
    public static ModelRegistration? FindModel(string name) => Find(ModelsByName, name);

    /// <summary>The job registered as <paramref name="name"/>, or <c>null</c>.</summary>
    public static JobRegistration? FindJob(string name) => Find(JobsByName, name);

    /// <summary>The pod registered as <paramref name="name"/>, or <c>null</c>.</summary>
    public static PodRegistration? FindPod(string name) => Find(PodsByName, name);

    /// <summary>The model registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No model has that name; the message lists the names that exist.</exception>
    public static ModelRegistration GetModel(string name) => Get(ModelsByName, name, "model");

    /// <summary>The job registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No job has that name; the message lists the names that exist.</exception>
    public static JobRegistration GetJob(string name) => Get(JobsByName, name, "job");

    /// <summary>The pod registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No pod has that name; the message lists the names that exist.</exception>
    public static PodRegistration GetPod(string name) => Get(PodsByName, name, "pod");

    /// <summary>
    /// Removes everything registered by types of <paramref name="assembly"/> — for hosts that unload a collectible
    /// load context (hot reload) and load the assembly again.
    /// </summary>
    /// <returns>How many registrations were removed.</returns>
    public static int Unregister(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        lock (Gate)
        {
            return RemoveWhere(ModelsByName, r => r.ModelType.Assembly == assembly)
                 + RemoveWhere(JobsByName, r => r.JobType.Assembly == assembly)
                 + RemoveWhere(PodsByName, r => r.DeclaringType.Assembly == assembly);
        }
    }

    private static void Add<T>(Dictionary<string, T> byName, string name, T registration, Type type, Func<T, Type> typeOf, string kind, string attribute)
        where T : class
    {
        lock (Gate)
        {
            if (byName.TryGetValue(name, out var existing))
            {
                // The same registration twice is harmless; two types under one name would make lookups ambiguous.
                if (ReferenceEquals(existing, registration))
                    return;
                throw new InvalidOperationException(
                    $"A {kind} named '{name}' is already registered by {typeOf(existing).FullName} (assembly {typeOf(existing).Assembly.GetName().Name}); " +
                    $"{type.FullName} (assembly {type.Assembly.GetName().Name}) cannot use the same name. Give one of them another name with {attribute}.");
            }
            byName.Add(name, registration);
        }
    }

    private static T? Find<T>(Dictionary<string, T> byName, string name) where T : class
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (Gate)
            return byName.GetValueOrDefault(name);
    }

    private static T Get<T>(Dictionary<string, T> byName, string name, string kind) where T : class
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (Gate)
        {
            if (byName.TryGetValue(name, out var found))
                return found;
            string known = byName.Count == 0 ? "none are registered (is the assembly that declares it loaded?)" : "registered: " + string.Join(", ", byName.Keys.Order(StringComparer.Ordinal));
            throw new KeyNotFoundException($"No {kind} named '{name}'; {known}");
        }
    }

    private static T[] Snapshot<T>(Dictionary<string, T> byName)
    {
        lock (Gate)
            return byName.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value).ToArray();
    }

    private static int RemoveWhere<T>(Dictionary<string, T> byName, Func<T, bool> predicate)
    {
        var doomed = byName.Where(pair => predicate(pair.Value)).Select(pair => pair.Key).ToArray();
        foreach (var key in doomed)
            byName.Remove(key);
        return doomed.Length;
    }
}
