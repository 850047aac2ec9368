using System.Collections.Concurrent;
using System.Reflection;

namespace Arc.Sdk;

/// <summary>
/// The protocol modules (seed 004: <see cref="ITrainingModule"/>, and the serving one) that generated code registers
/// for each <c>[Model]</c> when its assembly loads, and how a model archive's entry finds one: by the <c>[Model]</c>
/// class's full name or registered name, else a class of the user's own implementing the protocol (created with its
/// public parameterless constructor: the one place archives use reflection), else the assembly's one registered module.
/// </summary>
public static class ProtocolModules
{
    private static readonly ConcurrentDictionary<(Type Protocol, Type Model), Func<object>> Registered = new();

    /// <summary>Called by generated code: <paramref name="factory"/> makes <typeparamref name="TModule"/> for <paramref name="modelType"/>.</summary>
    public static void Register<TModule>(Type modelType, Func<TModule> factory) where TModule : class
    {
        ArgumentNullException.ThrowIfNull(modelType);
        ArgumentNullException.ThrowIfNull(factory);
        Registered[(typeof(TModule), modelType)] = factory;
    }

    /// <summary>The model types of <paramref name="assembly"/> that have a registered <typeparamref name="TModule"/>, by full name.</summary>
    public static IReadOnlyList<Type> ModelsWith<TModule>(Assembly assembly) where TModule : class
        => Registered.Keys.Where(k => k.Protocol == typeof(TModule) && k.Model.Assembly == assembly)
            .Select(k => k.Model).OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Creates the <typeparamref name="TModule"/> that <paramref name="typeName"/> names in <paramref name="assembly"/>
    /// (null: the assembly's only one).
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing or more than one matches; the message lists what there is.</exception>
    public static TModule Create<TModule>(Assembly assembly, string? typeName) where TModule : class
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var models = ModelsWith<TModule>(assembly);
        string protocol = typeof(TModule).Name;
        string available = models.Count == 0
            ? $"{assembly.GetName().Name} registers no {protocol} (it has no [Model] class built with this Arc)"
            : $"{assembly.GetName().Name} has {string.Join(", ", models.Select(Describe))}";
        if (typeName is null)
        {
            return models.Count == 1
                ? (TModule)Registered[(typeof(TModule), models[0])]()
                : throw new InvalidOperationException($"the entry names no type, so it needs exactly one [Model] with a {protocol}: {available}; name one as '<assembly>.dll:<type>'");
        }
        var model = models.FirstOrDefault(t => t.FullName == typeName)
            ?? models.FirstOrDefault(t => ArcRegistry.Models.FirstOrDefault(r => r.Type == t) is { } r && string.Equals(r.Name, typeName, StringComparison.OrdinalIgnoreCase));
        if (model is not null) return (TModule)Registered[(typeof(TModule), model)]();

        // A module the user wrote: the seed's "script" that implements the protocol itself.
        var type = assembly.GetType(typeName, throwOnError: false)
            ?? throw new InvalidOperationException($"'{typeName}' is neither a [Model] nor a type of {assembly.GetName().Name}: {available}");
        if (!typeof(TModule).IsAssignableFrom(type) || type.IsAbstract)
            throw new InvalidOperationException($"{type.FullName} does not implement {typeof(TModule).FullName}: {available}");
        if (type.GetConstructor(Type.EmptyTypes) is not { IsPublic: true } constructor)
            throw new InvalidOperationException($"{type.FullName} implements {protocol} but has no public parameterless constructor");
        return (TModule)constructor.Invoke(null);
    }

    /// <summary>Forgets the modules of <paramref name="assembly"/>'s models, so that an unloaded load context is not kept alive by them.</summary>
    internal static void Unregister(Assembly assembly)
    {
        foreach (var key in Registered.Keys.Where(k => k.Model.Assembly == assembly).ToList())
            Registered.TryRemove(key, out _);
    }

    private static string Describe(Type model)
        => ArcRegistry.Models.FirstOrDefault(r => r.Type == model) is { } r ? $"{model.FullName} ('{r.Name}')" : model.FullName ?? model.Name;
}
