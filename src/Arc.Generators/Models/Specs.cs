namespace Arc.Generators.Models;

/// <summary>One type around a generated member (the user's class and the classes containing it), outermost first.</summary>
/// <param name="Keyword">The declaration keyword: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The type's name.</param>
internal sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>Where generated code goes: the namespace (null for the global one) and the types, outermost first.</summary>
internal sealed record TypeLocationSpec(string? Namespace, EquatableArray<ContainingTypeSpec> Types)
{
    /// <summary>e.g. <c>Samples.Outer.ConvClassifier</c>: unique per type, so a hint-name prefix.</summary>
    public string HintPrefix => (Namespace is null ? "" : Namespace + ".") + string.Join(".", System.Linq.Enumerable.Select(Types, t => t.Name));
}

/// <summary>One constructor or method parameter carried in a generated record.</summary>
/// <param name="Name">The parameter's name as declared (without <c>@</c>); the key on the wire.</param>
/// <param name="PropertyName">The record property: <see cref="Name"/> in PascalCase.</param>
/// <param name="Type">How the value travels.</param>
/// <param name="DefaultLiteral">The default as C# source, or null when the parameter is required.</param>
internal sealed record ParameterSpec(string Name, string PropertyName, WireType Type, string? DefaultLiteral)
{
    /// <summary>The local variable the formatter reads into; the prefix keeps it apart from the formatter's own names.</summary>
    public string LocalName => "arg_" + Name;
}

/// <summary>A generated positional record and its MessagePack formatter (hyperparameters, job parameters, pod arguments).</summary>
/// <param name="RecordName">e.g. <c>Hyperparameters</c>.</param>
/// <param name="Accessibility"><c>public</c> or <c>internal</c>.</param>
/// <param name="OwnerName">The C# name of the type or method whose parameters these are, for XML docs (a cref).</param>
/// <param name="Description">What the record holds, one sentence for its summary.</param>
/// <param name="Parameters">The properties, in declaration order.</param>
internal sealed record ParameterRecordSpec(string RecordName, string Accessibility, string OwnerName, string Description, EquatableArray<ParameterSpec> Parameters)
{
    public string FormatterName => RecordName + "Formatter";
}

internal enum TargetKind
{
    Model,
    Job,
}

/// <summary>Everything needed to write the code for one valid <c>[Model]</c> or <c>[Job]</c> class.</summary>
/// <param name="Kind">Model or job.</param>
/// <param name="Location">Where the partial class is.</param>
/// <param name="FullTypeName">e.g. <c>global::Samples.ConvClassifier</c>.</param>
/// <param name="RegisteredName">The name in the registry.</param>
/// <param name="InputType">X, fully qualified.</param>
/// <param name="OutputType">Y, fully qualified.</param>
/// <param name="Record">The hyperparameter (or parameter) record.</param>
/// <param name="OverridesName">Whether to generate <c>Name</c> (the user's class does not declare one).</param>
/// <param name="HidesInheritedMembers">Whether a base class already has generated members, so ours need <c>new</c>.</param>
internal sealed record TargetClassSpec(
    TargetKind Kind,
    TypeLocationSpec Location,
    string FullTypeName,
    string RegisteredName,
    string InputType,
    string OutputType,
    ParameterRecordSpec Record,
    bool OverridesName,
    bool HidesInheritedMembers)
{
    public string ClassName => Location.Types[Location.Types.Count - 1].Name;

    public string HintName => Location.HintPrefix + ".Arc.g.cs";
}

/// <summary>How a pod method hands back its result.</summary>
internal enum PodReturnShape
{
    /// <summary><c>T M(...)</c></summary>
    Value,
    /// <summary><c>Task&lt;T&gt; M(...)</c></summary>
    Task,
    /// <summary><c>ValueTask&lt;T&gt; M(...)</c></summary>
    ValueTask,
    /// <summary><c>void M(...)</c></summary>
    Void,
    /// <summary><c>Task M(...)</c></summary>
    TaskNoResult,
    /// <summary><c>ValueTask M(...)</c></summary>
    ValueTaskNoResult,
}

/// <summary>Everything needed to write the code for one valid <c>[Pod]</c> method.</summary>
/// <param name="Location">The type that declares the method.</param>
/// <param name="DeclaringTypeName">That type, fully qualified.</param>
/// <param name="MethodName">The method's name.</param>
/// <param name="RegisteredName">The name in the registry.</param>
/// <param name="Arguments">The argument record (serialized parameters only).</param>
/// <param name="CallArguments">What to pass for each method parameter, in order: a record property name, or an empty string for the <c>CancellationToken</c>.</param>
/// <param name="Shape">How the result comes back.</param>
/// <param name="Result">The unwrapped result type, or null when the pod returns nothing.</param>
internal sealed record PodSpec(
    TypeLocationSpec Location,
    string DeclaringTypeName,
    string MethodName,
    string RegisteredName,
    ParameterRecordSpec Arguments,
    EquatableArray<string> CallArguments,
    PodReturnShape Shape,
    WireType? Result)
{
    public string HintName => Location.HintPrefix + "." + MethodName + ".Pod.g.cs";
}

/// <summary>A registered name and who claims it, for the compilation-wide duplicate check.</summary>
/// <param name="Name">The registered name.</param>
/// <param name="Owner">The class (or <c>Type.Method</c>) that claims it, for the message.</param>
/// <param name="Location">Where to report a clash.</param>
internal sealed record NameClaim(string Name, string Owner, LocationInfo? Location);

/// <summary>What parsing one attributed declaration produced: the spec when it is valid, its name claim, and its diagnostics.</summary>
internal sealed record ParseResult<TSpec>(TSpec? Spec, NameClaim? Claim, EquatableArray<DiagnosticInfo> Diagnostics)
    where TSpec : class;
