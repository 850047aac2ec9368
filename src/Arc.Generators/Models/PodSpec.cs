namespace Arc.Generators.Models;

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
