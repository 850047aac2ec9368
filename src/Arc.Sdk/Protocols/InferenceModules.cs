namespace Arc.Sdk;

/// <summary>
/// The inference modules of the loaded assemblies, by model name: the generator registers <c>MyModel.InferenceModule</c>
/// for every <c>[Model]</c> when its assembly loads (a module initializer), so a server that loads a user's assembly
/// finds them here without scanning types. A hand-written module is registered the same way.
/// </summary>
public static class InferenceModules
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Func<IInferenceModule>> Factories = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) how to make the module of model <paramref name="name"/>.</summary>
    public static void Register(string name, Func<IInferenceModule> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Gate) Factories[name] = factory;
    }

    /// <summary>The registered model names, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get { lock (Gate) return Factories.Keys.Order(StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>A new module for model <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No module is registered under that name (the message lists those that are).</exception>
    public static IInferenceModule Create(string name)
    {
        Func<IInferenceModule>? factory;
        lock (Gate) Factories.TryGetValue(name, out factory);
        return factory?.Invoke() ?? throw new KeyNotFoundException(
            $"no inference module is registered for model '{name}'; registered: {(Names.Count == 0 ? "none (was the model's assembly loaded?)" : string.Join(", ", Names))}");
    }
}
