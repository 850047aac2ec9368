namespace Arc.Sdk;

/// <summary>
/// What the generator registers for one <c>[Model]</c> class, <c>[Job]</c> class or <c>[Pod]</c> method: its kind, its
/// name and the user's type behind it. The kinds differ only in what they are created from and how they are called
/// (<see cref="ClassRegistration"/> for models and jobs, <see cref="PodRegistration"/> for pods); hosts (workers, the
/// command line) find them in <see cref="ArcRegistry"/> and serve them through one path.
/// </summary>
public abstract class ArcRegistration
{
    private protected ArcRegistration(ArcKind kind, string name, Type type)
    {
        Name = Arc.Artifacts.RegistrationNames.Check(name, kind.Word());
        ArgumentNullException.ThrowIfNull(type);
        Kind = kind;
        Type = type;
    }

    /// <summary>Model, job or pod.</summary>
    public ArcKind Kind { get; }

    /// <summary>
    /// The registered name: <c>[Model(Name = ...)]</c> (or <c>[Job]</c>, <c>[Pod]</c>); by default a model's or job's
    /// class name in lower case, a pod's <c>Type.Method</c>. Unique per kind.
    /// </summary>
    public string Name { get; }

    /// <summary>The <c>[Model]</c> or <c>[Job]</c> class, or the type that declares the <c>[Pod]</c> method.</summary>
    public Type Type { get; }

    /// <summary>Who claims <see cref="Name"/>, for the registry's message when two claim one name.</summary>
    internal virtual string Owner => $"{Type.FullName} (assembly {Type.Assembly.GetName().Name})";
}
