using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Arc.Sdk;

/// <summary>
/// Remembers the parameters a <c>[Model]</c> or <c>[Job]</c> object was made with by its generated
/// <c>Create(Hyperparameters)</c>, so that training can record them without the caller passing them again.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModelOrigins
{
    private static readonly ConditionalWeakTable<object, Func<byte[]>> Wires = new();

    /// <summary>Called by generated <c>Create</c> methods: <paramref name="created"/> was made from <paramref name="parameters"/>.</summary>
    public static TClass Remember<TClass, TParameters, TDeployed>(TClass created, ClassRegistration<TClass, TParameters, TDeployed> registration, TParameters parameters)
        where TClass : class
        where TParameters : class
        where TDeployed : class
    {
        ArgumentNullException.ThrowIfNull(created);
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(parameters);
        // Written when asked: most objects are never trained with a recorder.
        Wires.AddOrUpdate(created, () => registration.WriteParameters(parameters));
        return created;
    }

    /// <summary>
    /// The hyperparameters <paramref name="model"/> was made with, by constructor parameter name, each a <see cref="long"/>,
    /// <see cref="double"/>, <see cref="bool"/> or <see cref="string"/> (other values as their JSON text; nulls left out),
    /// as a recorder or a published model version keeps them. Empty when the model was neither created by its generated
    /// <c>Create(Hyperparameters)</c> nor deployed (a hand-made object).
    /// </summary>
    public static IReadOnlyDictionary<string, object> HyperparametersOf(object model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return HyperparameterWire.Read(ParametersWire(model));
    }

    /// <summary>The wire form (a MessagePack map by parameter name) of what <paramref name="model"/> was made with; null when unknown.</summary>
    internal static byte[]? ParametersWire(object model)
        => model is IHasCreationParameters client ? client.CreationParametersWire()
            : Wires.TryGetValue(model, out var wire) ? wire() : null;
}

/// <summary>A generated client: it knows the parameters its model was created with.</summary>
internal interface IHasCreationParameters
{
    byte[] CreationParametersWire();

    /// <summary>The target's name (<c>LocalProcess</c>, …).</summary>
    string TargetName { get; }
}
