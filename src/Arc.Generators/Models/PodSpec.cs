namespace Arc.Generators;

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
/// <param name="Accessibility">The method's accessibility as C# keywords, given to the remote form too.</param>
/// <param name="RemoteName">The generated remote form, e.g. <c>ScaleRemoteAsync</c> (<see cref="PodNames.Remote"/>).</param>
/// <param name="RegistrationMember">The generated static field holding the registration (<see cref="PodNames.Registration"/>).</param>
internal sealed record PodSpec(
    TypeLocationSpec Location,
    string DeclaringTypeName,
    string MethodName,
    string RegisteredName,
    ParameterRecordSpec Arguments,
    EquatableArray<string> CallArguments,
    PodReturnShape Shape,
    WireType? Result,
    string Accessibility,
    string RemoteName,
    string RegistrationMember) : IGeneratedSpec
{
    public string HintName => Location.HintPrefix + "." + MethodName + ".Pod.g.cs";
}

/// <summary>The names of the members generated for a pod method <c>M</c> (documented in the README).</summary>
internal static class PodNames
{
    /// <summary><c>M</c> without a trailing <c>Async</c>, then <c>RemoteAsync</c>: <c>ScaleAsync</c> → <c>ScaleRemoteAsync</c>, <c>Add</c> → <c>AddRemoteAsync</c>.</summary>
    public static string Remote(string method)
        => (method.Length > 5 && method.EndsWith("Async", System.StringComparison.Ordinal) ? method.Substring(0, method.Length - 5) : method) + "RemoteAsync";

    /// <summary><c>M</c> then <c>Pod</c>: the registration, e.g. <c>ScaleAsyncPod</c>.</summary>
    public static string Registration(string method) => method + "Pod";
}
